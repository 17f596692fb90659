package org.ifpp.keymaker.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The append-only file of signed checkpoints, one JSON object per line ({@code
 * audit-checkpoints.jsonl}), each line forced to disk before the checkpoint counts as published.
 */
final class CheckpointFile {

  static final String NAME = "audit-checkpoints.jsonl";

  private final Path file;
  private final JsonMapper json;

  CheckpointFile(Path directory, JsonMapper json) {
    this.file = directory.resolve(NAME);
    this.json = json;
  }

  Path path() {
    return file;
  }

  synchronized void append(AuditCheckpoint c) {
    try {
      Files.createDirectories(file.getParent());
      byte[] line = (json.writeValueAsString(c) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        ch.write(ByteBuffer.wrap(line));
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  synchronized List<AuditCheckpoint> readAll() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank())
          .map(l -> json.readValue(l, AuditCheckpoint.class))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
