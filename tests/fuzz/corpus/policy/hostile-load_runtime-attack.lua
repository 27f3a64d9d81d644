-- a runtime error while loading, on line 3
local t = nil
local x = t.field
function rules.evaluate(h, ctx) return rules.result(h, 1) end
