-- line 1
local n = 0
for k, v in pairz({}) do n = n + 1 end
counter = 1
local s = string.find("a", "a")

function rules.amount(h, ctx)
  return super.amount(h, ctx) + super.bonus(h, ctx)
end

function rules.amont(h, ctx)
  return 1
end

-- sa-lint: new
function rules.heating(h, ctx)
  return rules.heat_extra(h)
end
