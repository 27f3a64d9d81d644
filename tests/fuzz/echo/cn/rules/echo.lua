-- Echoes the household's text into every text field of a decision, so the fuzzer's bytes
-- reach the decision JSON writer (tests/fuzz/fuzz_decision.c).
function rules.evaluate(h, ctx)
  local ids = {}
  for _, m in ipairs(h.members) do ids[#ids + 1] = m.id end
  return { tier = "dibao", circle = 1, programs = {
    { program = "dibao", status = "eligible", amount = #h.members * 12345 - 1, members = ids, missing = ids,
      care_level = h.id, parts = { basic = 1, [h.id] = 2 },
      reasons = { { id = "echo", zh = h.id, en = ids[1], ref = h.region } } },
    { program = "edge", status = "undetermined", missing = { h.id } } } }
end
