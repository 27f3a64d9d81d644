package cn.libsa;

import java.util.ArrayList;
import java.util.List;

/** A household (docs/household.md), parsed from YAML/JSON or built field by field. Not thread-safe. */
public final class Household implements AutoCloseable {
    static { Native.load(); }

    long handle;

    private Household(long handle) { this.handle = handle; }

    public Household(String id, String region, String area) { this(new0(id, region, area)); }

    /** Every household of a YAML or JSON document; name labels error positions. */
    public static List<Household> parse(String text, String name) {
        List<Household> out = new ArrayList<>();
        for (long h : parse0(text, name)) out.add(new Household(h));
        return out;
    }

    public Household addMember(String id, String relation, String birth) {
        addMember0(handle, id, relation, birth);
        return this;
    }

    /** Set a field by path, e.g. set("members.0.income.wages", "3000"). */
    public Household set(String path, String value) {
        set0(handle, path, value);
        return this;
    }

    @Override public void close() {
        if (handle != 0) { free0(handle); handle = 0; }
    }

    private static native long[] parse0(String text, String name);
    private static native long new0(String id, String region, String area);
    private static native void addMember0(long h, String id, String relation, String birth);
    private static native void set0(long h, String path, String value);
    private static native void free0(long h);
}
