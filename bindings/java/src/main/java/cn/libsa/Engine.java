package cn.libsa;

/**
 * One policy pack in a sandbox. An Engine is used by one thread at a time; give each worker
 * thread its own (docs/threading.md).
 */
public final class Engine implements AutoCloseable {
    static { Native.load(); }

    private long handle;

    /** Load pack (e.g. "cn-53") from packPath (':'-separated directories; null for the default). */
    public Engine(String packPath, String pack) { handle = open(packPath, pack); }

    /** The decision as JSON text (docs/decision.md), on date asOf ("YYYY-MM-DD"). */
    public String evaluate(Household household, String asOf) {
        if (handle == 0 || household.handle == 0) throw new IllegalStateException("closed");
        return evaluate0(handle, household.handle, asOf);
    }

    /** SHA-256 of the loaded pack chain; every decision names it too. */
    public String packHash() { return packHash0(handle); }

    @Override public void close() {
        if (handle != 0) { close0(handle); handle = 0; }
    }

    private static native long open(String packPath, String pack);
    private static native void close0(long h);
    private static native String packHash0(long h);
    private static native String evaluate0(long engine, long household, String asOf);
}
