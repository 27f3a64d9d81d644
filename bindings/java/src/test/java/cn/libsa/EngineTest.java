package cn.libsa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Tests of the Java binding (no JUnit here: Maven Central is not reachable); exits 1 on failure. */
public final class EngineTest {
    private static int failures;

    private static void check(boolean ok, String what) {
        System.out.println((ok ? "ok   " : "FAIL ") + what);
        if (!ok) failures++;
    }

    public static void main(String[] args) throws Exception {
        String src = System.getProperty("sa.source", ".");
        String packs = src + "/policies";
        // 云民发〔2025〕40号: urban dibao 744; three people with 1000 counted income get 744 × 3 − 1000 = 1232.
        try (Engine eng = new Engine(packs, "cn-53")) {
            List<Household> hhs = Household.parse(
                Files.readString(Path.of(src, "samples", "cn-53", "households.yaml")), "households.yaml");
            check(hhs.size() == 2, "two sample households parsed");
            String json = eng.evaluate(hhs.get(1), "2025-08-01");
            check(json.contains("\"amount\":\"1232.00\""), "dibao gap 1232.00 in " + json.substring(0, Math.min(200, json.length())));
            check(json.contains("\"pack_hash\":\"" + eng.packHash() + "\""), "decision names the pack hash");
            for (Household h : hhs) h.close();
        }
        try (Household h = new Household("j-1", "530102", "urban")) {
            h.addMember("m1", "head", "1990-01-01");
            try {
                h.set("members.0.income.wages", "-1");
                check(false, "negative income refused");
            } catch (SaException e) {
                check(e.code == -4 && e.getMessage().contains("negative"), "negative income refused: " + e.getMessage());
            }
        }
        try {
            Household.parse("household:\n  id: x\n  region: '530102'\n  area: town\n", "bad.yaml");
            check(false, "bad area refused");
        } catch (SaException e) {
            check(e.line == 4 && e.column == 9 && "bad.yaml".equals(e.source), "error position bad.yaml:4:9: " + e.getMessage());
        }
        try {
            new Engine(packs, "cn-99").close();
            check(false, "missing pack refused");
        } catch (SaException e) {
            check(e.code == -3, "missing pack is SA_ENOTFOUND");
        }
        System.out.println(failures == 0 ? "java binding ok" : failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
