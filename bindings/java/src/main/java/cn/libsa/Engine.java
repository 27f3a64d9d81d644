package cn.libsa;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A policy pack ready to evaluate households, safe to share between any number of threads.
 *
 * <p>Thread model (docs/bindings.md): a native libsa engine owns a Lua state and must be used
 * by one thread at a time. An Engine keeps a pool of up to {@link Options#poolSize} native
 * engines; each evaluation borrows one, evaluates on the calling thread and gives it back, so
 * at most poolSize evaluations run at once and further callers wait. All native engines follow
 * one libsa pack set: {@link #reload(String)} loads, compiles and tests the new pack off the
 * hot path and publishes it atomically; every evaluation then runs wholly on the old or wholly
 * on the new version, and its decision names that version's hash.
 *
 * <pre>
 * try (Engine eng = new Engine(Engine.options().packPath("/usr/share/sa/policies").pack("cn-53"))) {
 *     Decision d = eng.evaluate(household, LocalDate.of(2025, 8, 1));
 * }
 * </pre>
 */
public final class Engine implements AutoCloseable {
    static { Native.load(); }

    /** Options, read once at construction. Zero limits mean libsa's defaults. */
    public static final class Options {
        String packPath;
        String pack;
        int poolSize = Runtime.getRuntime().availableProcessors();
        long memoryLimit, instructionLimit, outputLimit;
        int timeLimitMs;
        boolean skipTests = true;

        /** ':'-separated pack directories; null: $SA_PACK_PATH, else "policies". */
        public Options packPath(String v) { packPath = v; return this; }
        /** The pack id to load, e.g. "cn-53" (required). */
        public Options pack(String v) { pack = v; return this; }
        /** Native engines (Lua states), i.e. evaluations at once; default: available processors. */
        public Options poolSize(int v) {
            if (v < 1) throw new IllegalArgumentException("poolSize must be at least 1");
            poolSize = v;
            return this;
        }
        public Options memoryLimit(long bytes) { memoryLimit = bytes; return this; }
        public Options instructionLimit(long n) { instructionLimit = n; return this; }
        public Options outputLimit(long bytes) { outputLimit = bytes; return this; }
        public Options timeLimitMs(int ms) { timeLimitMs = ms; return this; }
        /** Run the pack's golden tests before publishing (at construction and on reload); default off. */
        public Options runGoldenTests(boolean v) { skipTests = !v; return this; }
    }

    public static Options options() { return new Options(); }

    private final Options opts;
    private final long set;
    private final ArrayBlockingQueue<Long> idle;
    private final List<Long> all = new ArrayList<>();
    private final ReentrantReadWriteLock life = new ReentrantReadWriteLock();
    private volatile String pack;
    private boolean closed;

    /** Load pack (e.g. "cn-53") from packPath (':'-separated directories; null for the default). */
    public Engine(String packPath, String pack) { this(options().packPath(packPath).pack(pack)); }

    public Engine(Options o) {
        if (o.pack == null) throw new IllegalArgumentException("Options.pack is required");
        opts = o;
        idle = new ArrayBlockingQueue<>(o.poolSize);
        long s = Native.setNew(o.packPath, o.memoryLimit, o.instructionLimit, o.outputLimit, o.timeLimitMs);
        try {
            Native.setPublish(s, o.pack, o.skipTests);
            // One engine now, so that a pack that cannot compile fails here; the rest on demand.
            long e = Native.engineNew(s, o.packPath, o.memoryLimit, o.instructionLimit, o.outputLimit, o.timeLimitMs);
            all.add(e);
            idle.add(e);
        } catch (RuntimeException ex) {
            Native.setFree(s);
            throw ex;
        }
        set = s;
        pack = o.pack;
    }

    private interface Call<T> { T run(long engine); }

    private <T> T withEngine(Call<T> call) {
        ReentrantReadWriteLock.ReadLock r = life.readLock();
        r.lock();
        try {
            if (closed) throw new IllegalStateException("engine is closed");
            Long e = idle.poll();
            if (e == null) e = grow();
            if (e == null) {
                try {
                    e = idle.take();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a native engine", ie);
                }
            }
            try {
                return call.run(e);
            } finally {
                idle.add(e);
            }
        } finally {
            r.unlock();
        }
    }

    /** A new native engine if the pool may still grow, else null. */
    private Long grow() {
        synchronized (all) {
            if (all.size() >= opts.poolSize) return null;
            long e = Native.engineNew(set, opts.packPath, opts.memoryLimit, opts.instructionLimit, opts.outputLimit,
                opts.timeLimitMs);
            all.add(e);
            return e;
        }
    }

    private static String date(LocalDate d) { return d.toString(); }

    /** The decision as libsa's JSON text (docs/decision.md), on asOf ("YYYY-MM-DD"). */
    public String evaluateJson(Household household, String asOf) {
        long h = household.live();
        return withEngine(e -> Native.evaluate(e, h, asOf, 0));
    }

    /** As evaluateJson, for a household given as text (a bare JSON object or a `household:` map). */
    public String evaluateJson(String householdText, String asOf) {
        return withEngine(e -> Native.evaluateText(e, householdText, "household", asOf, 0));
    }

    /** The typed decision. */
    public Decision evaluate(Household household, LocalDate asOf) {
        return Decision.fromJson(evaluateJson(household, date(asOf)));
    }

    public Decision evaluate(Household household, String asOf) {
        return Decision.fromJson(evaluateJson(household, asOf));
    }

    public Decision evaluate(String householdText, LocalDate asOf) {
        return Decision.fromJson(evaluateJson(householdText, date(asOf)));
    }

    /** The decision, appended to log (one hash-chained record) before it is returned. */
    public Decision evaluate(Household household, String asOf, DecisionLog log) {
        long h = household.live();
        return Decision.fromJson(withEngine(e -> {
            long d = Native.decide(e, h, asOf);
            try {
                log.append(h, d);
                return Native.decisionJson(d, 0);
            } finally {
                Native.decisionFree(d);
            }
        }));
    }

    /** Formats of {@link #explain}. */
    public enum ExplainFormat { TEXT, HTML }

    /** Languages of {@link #explain}: Chinese, English, or Chinese with English under each line. */
    public enum Lang { ZH, EN, BOTH }

    /** The decision put into words for the caseworker and the applicant (docs/explain.md). */
    public String explain(Household household, String asOf, ExplainFormat format, Lang lang) {
        long h = household.live();
        return withEngine(e -> Native.explain(e, h, asOf, format.ordinal(), lang.ordinal()));
    }

    /**
     * Re-evaluate with changes ("PATH=VALUE", e.g. "members.m1.income.wages=1500") applied:
     * JSON {"changes", "decision", "diff": [{"field", "before", "after"}]}. The household is
     * not changed.
     */
    public String whatif(Household household, String asOf, String... changes) {
        long h = household.live();
        return withEngine(e -> Native.whatif(e, h, asOf, changes));
    }

    /**
     * Load pack (from disk, as it is now), compile it and publish it atomically; evaluations
     * running meanwhile finish on the version they started with, later ones use the new one.
     * On error (SaException with file:line:column) the current version stays. Returns the new
     * version's hash.
     */
    public String reload(String pack) {
        ReentrantReadWriteLock.ReadLock r = life.readLock();
        r.lock();
        try {
            if (closed) throw new IllegalStateException("engine is closed");
            Native.setPublish(set, pack, opts.skipTests);
            this.pack = pack;
            return Native.setHash(set);
        } finally {
            r.unlock();
        }
    }

    /** Reload the current pack from disk. */
    public String reload() { return reload(pack); }

    /** The id of the pack published last. */
    public String pack() { return pack; }

    /** SHA-256 of the published pack chain; every decision names the one it was made with. */
    public String packHash() { return Native.setHash(set); }

    /** How many versions have been published (1 after construction). */
    public long generation() { return Native.setGeneration(set); }

    /** Native engines created so far (at most the pool size). */
    public int nativeEngines() {
        synchronized (all) { return all.size(); }
    }

    public static String libsaVersion() { return Native.version(); }

    /** Waits for running evaluations, then frees every native engine. */
    @Override public void close() {
        ReentrantReadWriteLock.WriteLock w = life.writeLock();
        w.lock();
        try {
            if (closed) return;
            closed = true;
            synchronized (all) {
                for (long e : all) Native.engineFree(e);
                all.clear();
            }
            idle.clear();
            Native.setFree(set);
        } finally {
            w.unlock();
        }
    }
}
