-- Try to change what other evaluations see; count the attempts that work (must be 0).
function rules.evaluate(h, ctx)
  local worked = 0
  local tries = {
    function() string.upper = function() return "pwned" end end,
    function() string.rep = nil end,
    function() table.insert = nil end,
    function() math.floor = function() return 0 end end,
    function() sa.param = function() return 0 end end,
    function() rules.evaluate = function() return {} end end,
    function() rules.result = nil end,
    function() super.evaluate = nil end,
    function() getmetatable("").__index = {} end,
    function() setmetatable(string, {}) end,
    function() setmetatable(rules, {}) end,
    function() local r = sa.param("test.amount"); sa = nil end,
    function() _ENV.x = 1 end,
    function() x = 1 end,
    function() ipairs = nil end,
    function() local mt = getmetatable(string); mt.__index = {} end,
  }
  for _, f in ipairs(tries) do
    if pcall(f) then worked = worked + 1 end
  end
  if ("abc"):upper() ~= "ABC" or string.upper("x") ~= "X" then worked = worked + 100 end
  return rules.result(h, worked)
end
