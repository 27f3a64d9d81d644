package cn.libsa;

import java.util.ArrayList;
import java.util.List;

/**
 * A household (docs/household.md), parsed from YAML/JSON or built field by field. Changing a
 * household is for one thread; once built, any number of threads may evaluate it at once.
 */
public final class Household implements AutoCloseable {
    static { Native.load(); }

    volatile long handle;

    private Household(long handle) { this.handle = handle; }

    public Household(String id, String region, String area) { this(Native.householdNew(id, region, area)); }

    /** Every household of a YAML or JSON document; name labels error positions (file:line:column). */
    public static List<Household> parse(String text, String name) {
        List<Household> out = new ArrayList<>();
        long[] hs = Native.householdParse(text, name);
        for (long h : hs) out.add(new Household(h));
        return out;
    }

    /** Exactly one household from a document (a bare JSON object, or a `household:` map). */
    public static Household parseOne(String text, String name) {
        List<Household> hs = parse(text, name);
        if (hs.size() != 1) {
            for (Household h : hs) h.close();
            throw new IllegalArgumentException(name + ": expected one household, got " + hs.size());
        }
        return hs.get(0);
    }

    public Household addMember(String id, String relation, String birth) {
        Native.householdAddMember(live(), id, relation, birth);
        return this;
    }

    /** Set a field by path, e.g. set("members.0.income.wages", "3000"). */
    public Household set(String path, String value) {
        Native.householdSet(live(), path, value);
        return this;
    }

    public String id() { return Native.householdId(live()); }

    long live() {
        long h = handle;
        if (h == 0) throw new IllegalStateException("household is closed");
        return h;
    }

    @Override public synchronized void close() {
        if (handle != 0) { Native.householdFree(handle); handle = 0; }
    }
}
