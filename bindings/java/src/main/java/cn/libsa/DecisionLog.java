package cn.libsa;

import java.util.List;

/**
 * The decision log (一户一档, include/sa/audit.h, docs/audit.md): one hash-chained JSON line
 * per decision, one writer per file. Pass it to {@link Engine#evaluate(Household, String,
 * DecisionLog)}; appends from several threads are serialised on this object. AutoCloseable.
 */
public final class DecisionLog implements AutoCloseable {
    static { Native.load(); }

    /** When to fsync: after every record (the default), every fsyncN records, or on close. */
    public enum Fsync { EVERY, EVERY_N, CLOSE }

    private long handle;
    private long lastSeq = -1;

    public DecisionLog(String path) { this(path, null, Fsync.EVERY, 0, 0); }

    /** hmacKeyFile: add an HMAC-SHA256 of each record with this key (null: none); rotateBytes 0: never. */
    public DecisionLog(String path, String hmacKeyFile, Fsync fsync, int fsyncN, long rotateBytes) {
        handle = Native.logOpen(path, hmacKeyFile, fsync.ordinal(), fsyncN, rotateBytes);
    }

    synchronized long append(long household, long decision) {
        if (handle == 0) throw new IllegalStateException("log is closed");
        lastSeq = Native.logAppend(handle, household, decision);
        return lastSeq;
    }

    /** Sequence number of the last record this object wrote, -1 before the first. */
    public synchronized long lastSeq() { return lastSeq; }

    @Override public synchronized void close() {
        if (handle != 0) {
            long h = handle;
            handle = 0;
            Native.logClose(h);
        }
    }

    /** The outcome of {@link #verify}. badLine is 1-based, 0 when every record is good. */
    public record Verification(boolean ok, long records, long badLine, boolean truncated, String report) {}

    /** Verify log files (a rotated chain in order: PATH.1, PATH.2, ..., PATH). */
    public static Verification verify(List<String> paths, String hmacKeyFile) {
        Native.load();
        long[] c = new long[4];
        String report = Native.logVerify(paths.toArray(new String[0]), hmacKeyFile, c);
        return new Verification(c[0] == 0, c[1], c[2], c[3] != 0, report == null ? "" : report);
    }
}
