package cn.libsa;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binding's basics against the shipped packs (system property sa.source: the source tree). */
class EngineTest {
    static final String SRC = System.getProperty("sa.source", ".");
    static final String PACKS = SRC + "/policies";

    @Test
    void dibaoGapTyped() throws Exception {
        // 云民发〔2025〕40号: urban dibao 744; three people with 1000 counted income get 744 × 3 − 1000 = 1232.
        try (Engine eng = new Engine(PACKS, "cn-53")) {
            List<Household> hhs = Household.parse(
                Files.readString(Path.of(SRC, "samples", "cn-53", "households.yaml")), "households.yaml");
            assertEquals(2, hhs.size());
            Decision d = eng.evaluate(hhs.get(1), LocalDate.of(2025, 8, 1));
            Decision.Program dibao = d.program("dibao").orElseThrow();
            assertEquals(Decision.Status.ELIGIBLE, dibao.status());
            assertEquals(new BigDecimal("1232.00"), dibao.amount());
            assertEquals(eng.packHash(), d.packHash());
            assertEquals(LocalDate.of(2025, 8, 1), d.asOf());
            assertEquals("cn-53", d.pack());
            Decision.Reason gap = dibao.reasons().stream().filter(r -> r.id().equals("dibao.amount.gap")).findFirst().orElseThrow();
            assertTrue(gap.ref().contains("第二十三条"), gap.ref());
            Decision.Param std = gap.params().stream().filter(p -> p.name().equals("dibao.standard_urban"))
                .findFirst().orElseThrow();
            assertEquals("744", std.value());
            assertEquals(LocalDate.of(2025, 7, 1), std.from());
            assertTrue(d.json().contains("\"amount\":\"1232.00\""));
            // the margin: 1000 < 744 × 3 = 2232, so 1232.00 more income flips the 低保 income test
            Decision.Margin m = dibao.margin();
            assertEquals(List.of("dibao.income", "income", "up", "<"), List.of(m.test(), m.basis(), m.direction(), m.op()));
            assertEquals(new BigDecimal("1232.00"), m.amount());
            assertEquals(new BigDecimal("1000.00"), m.value());
            assertEquals(new BigDecimal("2232.00"), m.limit());
            assertTrue(m.passes() && m.otherConditions());
            assertNull(m.member());
            assertTrue(m.candidates().isEmpty());
            // 特困 per person (特困人员认定办法 第六条（一）): m2 and m3 have no income of their own,
            // each 744.00 below the standard; the first on the tie names the program's margin
            Decision.Margin t = d.program("tekun").orElseThrow().margin();
            assertEquals(List.of("tekun.income", "own_income", "m2"), List.of(t.test(), t.basis(), t.member()));
            assertEquals(new BigDecimal("744.00"), t.amount());
            assertEquals(List.of(
                new Decision.Candidate("m2", "up", new BigDecimal("744.00"), new BigDecimal("0.00"), "<", new BigDecimal("744.00"), true),
                new Decision.Candidate("m3", "up", new BigDecimal("744.00"), new BigDecimal("0.00"), "<", new BigDecimal("744.00"), true)),
                t.candidates());
            for (Household h : hhs) h.close();
        }
    }

    @Test
    void tekunBuiltInCode() {
        // 云民发〔2025〕40号: 特困 basic living at least 1.3 × 744 = 967.2, published 968.
        try (Engine eng = new Engine(PACKS, "cn-53");
             Household h = new Household("j-1", "530102", "urban")) {
            h.addMember("m1", "head", "1950-01-01").set("members.0.income.wages", "0")
             .set("members.0.support_mode", "home")
             .set("attested.assets_within_tekun_limits", "true")
             .set("attested.assets_within_dibao_limits", "true")
             .set("attested.assets_within_edge_limits", "true");
            for (String act : new String[] {"eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing"})
                h.set("members.0.self_care." + act, "true");
            Decision d = eng.evaluate(h, "2025-08-01");
            assertEquals("tekun", d.tier());
            assertEquals(Integer.valueOf(1), d.circle());
            Decision.Program tk = d.program("tekun").orElseThrow();
            assertEquals(new BigDecimal("968.00"), tk.parts().get("basic"));
            assertEquals("self", tk.careLevel());
            assertEquals(List.of("m1"), tk.members());
        }
    }

    @Test
    void bareJsonHouseholdText() {
        String json = "{\"id\":\"t-1\",\"region\":\"530102\",\"area\":\"urban\",\"members\":[{\"id\":\"m1\","
            + "\"relation\":\"head\",\"birth\":\"1990-01-01\",\"income\":{\"wages\":\"0\"}}]}";
        try (Engine eng = new Engine(PACKS, "cn-53")) {
            Decision d = eng.evaluate(json, LocalDate.of(2025, 8, 1));
            assertEquals("t-1", d.household());
        }
    }

    @Test
    void errorsCarryCodeAndPosition() {
        SaException e = assertThrows(SaException.class,
            () -> Household.parse("household:\n  id: x\n  region: '530102'\n  area: town\n", "bad.yaml"));
        assertEquals(SaException.EINVALID, e.code());
        assertEquals("bad.yaml", e.file());
        assertEquals(4, e.line());
        assertEquals(9, e.column());
        // the Chinese beside the English, from libsa's catalog (sa_message_zh)
        assertEquals("field 'area': 'town' is not one of: urban, rural", e.detail());
        assertEquals("字段 'area'：'town' 不是以下之一：urban, rural", e.detailZh());
        assertEquals("bad.yaml:4:9: 字段 'area'：'town' 不是以下之一：urban, rural", e.getMessageZh());
        try (Household h = new Household("j-2", "530102", "urban")) {
            h.addMember("m1", "head", "1990-01-01");
            SaException neg = assertThrows(SaException.class, () -> h.set("members.0.income.wages", "-1"));
            assertEquals("EINVALID", neg.codeName());
            assertTrue(neg.getMessage().contains("negative"), neg.getMessage());
        }
        SaException nf = assertThrows(SaException.class, () -> new Engine(PACKS, "cn-99"));
        assertEquals(SaException.ENOTFOUND, nf.code());
    }

    @Test
    void closedEngineRefuses() {
        Engine eng = new Engine(PACKS, "cn-53");
        eng.close();
        eng.close(); // twice is fine
        assertThrows(IllegalStateException.class, () -> eng.evaluateJson("{}", "2025-08-01"));
    }

    @Test
    void failedReloadKeepsTheVersion() {
        try (Engine eng = new Engine(PACKS, "cn-53")) {
            String before = eng.packHash();
            SaException e = assertThrows(SaException.class, () -> eng.reload("cn-99"));
            assertEquals(SaException.ENOTFOUND, e.code());
            assertEquals(before, eng.packHash());
            assertEquals("cn-53", eng.pack());
        }
    }
}
