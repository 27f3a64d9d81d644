package cn.libsa;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decision (docs/decision.md): per program eligible / ineligible / undetermined, amounts in
 * yuan as BigDecimal with two decimals (exact: libsa computes in integer fen), reasons with
 * their legal references and the parameters they used. {@link #json()} is libsa's own text.
 */
public record Decision(String household, String pack, String packHash, LocalDate asOf, String tier,
                       Integer circle, List<Program> programs, List<String> missing, String json) {

    public enum Status { ELIGIBLE, INELIGIBLE, UNDETERMINED }

    /** A program's outcome. amount is null when the program carries none; margin is null when
     * the program has no income test with known facts. */
    public record Program(String name, Status status, BigDecimal amount, Map<String, BigDecimal> parts,
                          String careLevel, List<String> members, List<String> missing, List<Reason> reasons,
                          Margin margin) {}

    /**
     * The distance of a program's income test to its threshold (docs/decision.md "margin"; C:
     * sa_decision_program_margin, sa_decision_program_margin_candidate): the quantity {@code
     * basis} would have to move by {@code amount} in {@code direction} ("up" or "down") to flip
     * the test {@code value op limit}. For 特困 (特困人员认定办法 第六条（一）, one test per person)
     * the fields are those of the candidate nearest the line, {@code member}, and {@code
     * candidates} lists each one; otherwise member is null and candidates empty.
     */
    public record Margin(String test, String basis, String direction, BigDecimal amount, BigDecimal value,
                         String op, BigDecimal limit, boolean passes, boolean otherConditions, String member,
                         List<Candidate> candidates) {}

    /** One person's own income test within a 特困 margin. */
    public record Candidate(String member, String direction, BigDecimal amount, BigDecimal value, String op,
                            BigDecimal limit, boolean passes) {}

    /** Why: rule id, zh-CN and English text, legal reference, the parameters used. */
    public record Reason(String id, String zh, String en, String ref, List<Param> params) {}

    /** A parameter as in force on the date: value as written, effective date, pack, reference. */
    public record Param(String name, String value, LocalDate from, String pack, String ref) {}

    /** The program by name, if the rules assessed it. */
    public Optional<Program> program(String name) {
        for (Program p : programs) if (p.name().equals(name)) return Optional.of(p);
        return Optional.empty();
    }

    /** Read libsa's decision JSON. */
    public static Decision fromJson(String json) {
        Map<String, Object> m = map(Json.parse(json));
        List<Program> programs = new ArrayList<>();
        for (Object o : list(m.get("programs"))) programs.add(program(map(o)));
        Object circle = m.get("circle");
        return new Decision(str(m.get("household")), str(m.get("pack")), str(m.get("pack_hash")),
            date(m.get("as_of")), str(m.get("tier")), circle == null ? null : ((BigDecimal) circle).intValueExact(),
            Collections.unmodifiableList(programs), strings(m.get("missing")), json);
    }

    private static Program program(Map<String, Object> m) {
        Map<String, BigDecimal> parts = new LinkedHashMap<>();
        Object po = m.get("parts");
        if (po != null) for (Map.Entry<String, Object> e : map(po).entrySet()) parts.put(e.getKey(), money(e.getValue()));
        List<Reason> reasons = new ArrayList<>();
        Object ro = m.get("reasons");
        if (ro != null) {
            for (Object r : list(ro)) {
                Map<String, Object> rm = map(r);
                List<Param> params = new ArrayList<>();
                Object pl = rm.get("params");
                if (pl != null) {
                    for (Object p : list(pl)) {
                        Map<String, Object> pm = map(p);
                        params.add(new Param(str(pm.get("name")), str(pm.get("value")), date(pm.get("from")),
                            str(pm.get("pack")), str(pm.get("ref"))));
                    }
                }
                reasons.add(new Reason(str(rm.get("id")), str(rm.get("zh")), str(rm.get("en")), str(rm.get("ref")),
                    Collections.unmodifiableList(params)));
            }
        }
        return new Program(str(m.get("program")), Status.valueOf(str(m.get("status")).toUpperCase()),
            money(m.get("amount")), Collections.unmodifiableMap(parts), str(m.get("care_level")),
            strings(m.get("members")), strings(m.get("missing")), Collections.unmodifiableList(reasons),
            margin(m.get("margin")));
    }

    private static Margin margin(Object o) {
        if (o == null) return null;
        Map<String, Object> m = map(o);
        List<Candidate> cands = new ArrayList<>();
        for (Object c : list(m.get("candidates"))) {
            Map<String, Object> cm = map(c);
            cands.add(new Candidate(str(cm.get("member")), str(cm.get("direction")), money(cm.get("amount")),
                money(cm.get("value")), str(cm.get("op")), money(cm.get("limit")), Boolean.TRUE.equals(cm.get("passes"))));
        }
        return new Margin(str(m.get("test")), str(m.get("basis")), str(m.get("direction")), money(m.get("amount")),
            money(m.get("value")), str(m.get("op")), money(m.get("limit")), Boolean.TRUE.equals(m.get("passes")),
            Boolean.TRUE.equals(m.get("other_conditions")), str(m.get("member")), Collections.unmodifiableList(cands));
    }

    /** Yuan text with two decimals ("1232.00") to BigDecimal, exactly. */
    private static BigDecimal money(Object o) {
        return o == null ? null : new BigDecimal((String) o);
    }

    private static LocalDate date(Object o) { return o == null ? null : LocalDate.parse((String) o); }

    private static String str(Object o) { return (String) o; }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) { return o == null ? List.of() : (List<Object>) o; }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object x : list(o)) out.add((String) x);
        return Collections.unmodifiableList(out);
    }
}
