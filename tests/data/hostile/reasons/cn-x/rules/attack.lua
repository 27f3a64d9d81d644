-- The reason buffer (docs/rule-authors.md 5.5) against misuse: declaring reasons while a
-- household is evaluated, writing to the shared empty list, bad or made-up handles. Each try
-- that works counts (must be 0). The household "forge" returns a handle this evaluation never
-- wrote: its decision must fail with a clear error, and the engine must stay good.
local OK = sa.reason_def("attack.ok", "{n} 次", "{n} tries", "fixture", { "test.amount" }, { "n" })

function rules.evaluate(h, ctx)
  local worked = 0
  local tries = {
    function() sa.reason_def("late", "x", "x") end,
    function() sa.EMPTY[1] = "x" end,
    function() sa.reason(OK + 1000) end,
    function() sa.reason(0) end,
    function() sa.reason(OK, 1.5) end,
    function() sa.reason(OK, {}) end,
    function() sa.reason(OK, 1, 2) end,
    function() sa.reasons(424242) end,
    function() sa.reasons(-424242) end,
    function() sa.reasons("x") end,
  }
  for _, f in ipairs(tries) do
    if pcall(f) then worked = worked + 1 end
  end
  if #sa.EMPTY ~= 0 then worked = worked + 100 end
  local r = rules.result(h, worked)
  if h.id == "forge" then
    r.programs[1].reasons = { 4242 }
  else
    r.programs[1].reasons = sa.reasons(sa.reason(OK, worked), nil, sa.reasons(sa.reason(OK, worked)))
  end
  return r
end
