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
    -- the combinators (sa.all_of / sa.any_of): conditions in threes after a declared reason
    function() sa.all_of(OK, true) end,
    function() sa.all_of(0, true, nil, nil) end,
    function() sa.any_of(OK + 1000, true, nil, nil) end,
    function() sa.all_of(OK, true, {}, nil) end,
    function() sa.all_of(OK, true, 1.5, nil) end,
    function() sa.all_of(OK, nil, nil, 5) end,
    function() sa.all_of(OK, nil, nil, setmetatable({}, { __len = function() return math.maxinteger end })) end,
    function() sa.any_of(OK, false, nil, nil, nil, nil, setmetatable({}, { __len = function() return -1 end })) end,
    function() local v, r = sa.all_of(OK, true, 4242, nil, true, 4243, nil) return sa.reasons(r) end,
  }
  for _, f in ipairs(tries) do
    if pcall(f) then worked = worked + 1 end
  end
  if #sa.EMPTY ~= 0 then worked = worked + 100 end
  -- what the combinators decide (rules.all_of / any_of of cn, without a table per condition)
  local a, b = sa.reason(OK, 1), sa.reason(OK, 2)
  local v, r, m = sa.all_of(OK, true, a, nil, false, b, nil, nil, nil, { "x", "y" }, nil, nil, "y")
  if v ~= false or m ~= sa.EMPTY or type(r) ~= "number" or r >= 0 then worked = worked + 1000 end
  v, r, m = sa.all_of(OK, true, a, nil, nil, b, { "x", "y" }, nil, nil, "y")
  if v ~= nil or #m ~= 2 or m[1] ~= "x" or m[2] ~= "y" or r >= 0 then worked = worked + 1000 end
  m[3] = "z" -- undetermined: a fresh list the caller may extend
  local first
  v, r, m, first = sa.any_of(OK, false, a, nil, true, b, nil, nil, nil, "x")
  if v ~= true or first ~= b or m ~= sa.EMPTY then worked = worked + 1000 end
  v, r, m, first = sa.any_of(OK, false, a, nil, false, nil, nil)
  if v ~= false or r ~= a or first ~= nil then worked = worked + 1000 end
  v, r, m = sa.all_of(OK)
  if v ~= true or r ~= nil or m ~= sa.EMPTY then worked = worked + 1000 end
  local r = rules.result(h, worked)
  if h.id == "forge" then
    r.programs[1].reasons = { 4242 }
  else
    r.programs[1].reasons = sa.reasons(sa.reason(OK, worked), nil, sa.reasons(sa.reason(OK, worked)))
  end
  return r
end
