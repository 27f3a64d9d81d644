-- Well-behaved baseline for the hostile packs: amount = test.amount + members (fen).
function rules.result(h, amount)
  return { tier = "dibao", circle = 1, programs = {
    { program = "dibao", status = "eligible", amount = amount, members = { h.members[1].id },
      reasons = { { id = "base.ok", zh = "基线", en = "baseline", params = { "test.amount" } } } } } }
end

function rules.evaluate(h, ctx)
  return rules.result(h, sa.param("test.amount") + #h.members)
end
