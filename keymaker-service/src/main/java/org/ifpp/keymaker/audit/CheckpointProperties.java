package org.ifpp.keymaker.audit;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Signed audit checkpoints ({@code keymaker.audit.checkpoints.*}).
 *
 * @param directory where the append-only file {@code audit-checkpoints.jsonl} lives (outside the
 *     database; put it on storage the database administrator cannot rewrite, or ship it away)
 * @param everyRecords make a checkpoint once this many records were appended since the last one
 * @param interval make a checkpoint at least this often while the chain grows
 * @param poll how often the head is looked at
 */
@ConfigurationProperties("keymaker.audit.checkpoints")
public record CheckpointProperties(
    @DefaultValue("audit-checkpoints") Path directory,
    @DefaultValue("10000") long everyRecords,
    @DefaultValue("60s") Duration interval,
    @DefaultValue("2s") Duration poll) {}
