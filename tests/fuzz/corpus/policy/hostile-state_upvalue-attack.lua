-- Keeps a counter and a history in upvalues: must restart for every household.
local n = 0
local last = nil
local helper = { calls = 0 }
local function bump() n = n + 1; return n end
function rules.evaluate(h, ctx)
  local k = bump()
  local prev = last
  last = h.id
  helper = { calls = 99 }        -- rebinding an upvalue is undone after the evaluation
  local amount = k * 1000 + (prev == nil and 1 or 2) + sa.param("test.amount")
  return rules.result(h, amount)
end
