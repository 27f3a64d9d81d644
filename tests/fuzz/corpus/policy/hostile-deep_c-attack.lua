-- Recursion through C functions: pcall, metamethods, sort comparators, tostring.
function rules.evaluate(h, ctx)
  local function p() return pcall(p) end
  p()
  local t = setmetatable({}, {})
  getmetatable(t).__index = function(t, k) return t[k] end   -- copy: no effect
  local u
  u = setmetatable({}, { __index = function(_, k) return u[k] end })
  pcall(function() return u.x end)
  local v
  v = setmetatable({}, { __tostring = function() return tostring(v) end })
  pcall(tostring, v)
  local function s() table.sort({ 2, 1 }, function(a, b) s() return a < b end) end
  pcall(s)
  local chain = {}
  for i = 1, 5000 do chain = setmetatable({}, { __index = chain }) end
  pcall(function() return chain.x end)
  return rules.result(h, 7)
end
