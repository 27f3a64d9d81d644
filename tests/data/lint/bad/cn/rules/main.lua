-- Fixture baseline: dibao pays rules.amount(h, ctx) per person.
function rules.amount(h, ctx)
  return sa.param("dibao.standard_urban")
end

function rules.evaluate(h, ctx)
  local amount = rules.amount(h, ctx) * #h.members
  return {
    tier = "dibao",
    circle = 2,
    programs = {
      { program = "dibao", status = "eligible", amount = amount,
        reasons = { { id = "dibao.amount", zh = "低保金", en = "dibao amount", ref = "fixture",
                      params = { "dibao.standard_urban" } } } },
    },
  }
end
