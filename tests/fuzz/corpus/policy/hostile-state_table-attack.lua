-- Tries to remember households in a table built at load time: the table is read-only.
local seen = {}
local count = { n = 0 }
function rules.evaluate(h, ctx)
  count.n = count.n + 1
  seen[#seen + 1] = h.id
  return rules.result(h, #seen)
end
