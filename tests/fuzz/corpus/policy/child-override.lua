-- A well-behaved child rule: money through the checked helpers, the parent's rule via super.
function rules.evaluate(h, ctx)
  local r = super.evaluate(h, ctx)
  local extra = sa.add(sa.param("test.amount"), #h.members)
  r.programs[1].amount = sa.add(r.programs[1].amount, extra)
  r.programs[1].missing = { "income.monthly", "assets.deposit" }
  return r
end
