package org.ifpp.keymaker.binding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns PLANNED bindings into signed packages in the outbox, a chunk at a time (IFPP.md section 4
 * step 4), and measures each phase. Per chunk:
 *
 * <ol>
 *   <li>Transaction 1, {@link KeyReservation}: claim bindings, spend one-time keys, draw
 *       transactionIds, audit; commit (GENS08: a spent key is never offered again).
 *   <li>Outside any transaction, {@link PackageBuilder}: PPKs decrypted, package built in PPK mode
 *       and signed in the HSM, secrets wiped.
 *   <li>Transaction 2, {@link BindingCompletion}: bindings BOUND, packages into the outbox, audit;
 *       the bindings that could not be built FAILED and re-planned.
 * </ol>
 */
public class BindingWorker {

  private final TransactionTemplate tx;
  private final KeyReservation reservation;
  private final PackageBuilder builder;
  private final BindingCompletion completion;
  private final int chunk;
  private final Counter bound;
  private final Counter failed;
  private final Timer chunkTimer;
  private final Timer reserveTimer;
  private final Timer buildTimer;
  private final Timer completeTimer;

  BindingWorker(
      TransactionTemplate tx,
      KeyReservation reservation,
      PackageBuilder builder,
      BindingCompletion completion,
      int chunk,
      MeterRegistry registry) {
    this.tx = tx;
    this.reservation = reservation;
    this.builder = builder;
    this.completion = completion;
    this.chunk = chunk;
    this.bound = Counter.builder("keymaker.bindings").tag("outcome", "bound").register(registry);
    this.failed = Counter.builder("keymaker.bindings").tag("outcome", "failed").register(registry);
    this.chunkTimer = Timer.builder("keymaker.bindings.chunk").register(registry);
    this.reserveTimer = phase(registry, "reserve");
    this.buildTimer = phase(registry, "build");
    this.completeTimer = phase(registry, "complete");
  }

  private static Timer phase(MeterRegistry registry, String name) {
    return Timer.builder("keymaker.bindings.phase").tag("phase", name).register(registry);
  }

  /**
   * Processes one chunk.
   *
   * @return how many bindings were claimed (0: nothing to do)
   */
  public int runOnce() {
    long start = System.nanoTime();
    List<ReservedBinding> reserved = tx.execute(s -> reservation.reserve(chunk));
    if (reserved == null || reserved.isEmpty()) {
      return 0;
    }
    long reservedAt = System.nanoTime();
    reserveTimer.record(reservedAt - start, TimeUnit.NANOSECONDS);
    PackageBuilder.Chunk built = builder.build(reserved);
    long builtAt = System.nanoTime();
    buildTimer.record(builtAt - reservedAt, TimeUnit.NANOSECONDS);
    tx.executeWithoutResult(
        s -> {
          completion.holdLease();
          completion.complete(built.built());
          for (ReservedBinding r : built.broken()) {
            completion.fail(r, "binding-error");
          }
        });
    completeTimer.record(System.nanoTime() - builtAt, TimeUnit.NANOSECONDS);
    bound.increment(built.built().size());
    failed.increment(built.broken().size());
    chunkTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return reserved.size();
  }
}
