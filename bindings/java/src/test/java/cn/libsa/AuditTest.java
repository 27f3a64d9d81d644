package cn.libsa;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explain, what-if and the decision log (include/sa/audit.h). A build without the audit
 * modules answers "not available in this build yet": the tests then skip. */
class AuditTest {
    static final Path HOUSEHOLD = Path.of(EngineTest.SRC, "samples", "cn-53", "yn-dibao-002.json");

    private static void skipIfPending(SaException e) {
        Assumptions.assumeFalse(e.getMessage().contains("not available in this build yet"), e.getMessage());
    }

    @Test
    void explainAndWhatif() throws Exception {
        try (Engine eng = new Engine(EngineTest.PACKS, "cn-53");
             Household h = Household.parseOne(Files.readString(HOUSEHOLD), "yn-dibao-002.json")) {
            String text;
            try {
                text = eng.explain(h, "2025-08-01", Engine.ExplainFormat.TEXT, Engine.Lang.BOTH);
            } catch (SaException e) {
                skipIfPending(e);
                throw e;
            }
            assertTrue(text.contains("1232") && text.contains("744"), text);
            String html = eng.explain(h, "2025-08-01", Engine.ExplainFormat.HTML, Engine.Lang.ZH);
            assertTrue(html.strip().toLowerCase().startsWith("<!doctype html"));
            // 744 × 3 − 1300 = 932
            String w = eng.whatif(h, "2025-08-01", "members.m1.income.wages=1300");
            assertTrue(w.contains("\"after\":\"932.00\"") || w.contains("\"after\": \"932.00\""), w);
        }
    }

    @Test
    void decisionLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("decisions.log");
        try (Engine eng = new Engine(EngineTest.PACKS, "cn-53");
             Household h = Household.parseOne(Files.readString(HOUSEHOLD), "yn-dibao-002.json")) {
            DecisionLog dl;
            try {
                dl = new DecisionLog(log.toString());
            } catch (SaException e) {
                skipIfPending(e);
                throw e;
            }
            try (dl) {
                for (int i = 0; i < 3; i++) {
                    Decision d = eng.evaluate(h, "2025-08-01", dl);
                    assertEquals(0, d.program("dibao").orElseThrow().amount().compareTo(new java.math.BigDecimal("1232")));
                }
                assertTrue(dl.lastSeq() >= 0);
            }
        }
        DecisionLog.Verification v = DecisionLog.verify(List.of(log.toString()), null);
        assertTrue(v.ok(), v.report());
        assertEquals(3, v.records());
        List<String> lines = Files.readAllLines(log);
        lines.set(1, lines.get(1).replace("1232.00", "1332.00"));
        Files.write(log, lines);
        DecisionLog.Verification bad = DecisionLog.verify(List.of(log.toString()), null);
        assertFalse(bad.ok());
        assertEquals(2, bad.badLine());
    }
}
