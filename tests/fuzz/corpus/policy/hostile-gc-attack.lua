-- Finalizers and weak tables are refused; a metatable changed afterwards has no effect.
function rules.evaluate(h, ctx)
  local refused = 0
  if not pcall(setmetatable, {}, { __gc = function() while true do end end }) then refused = refused + 1 end
  if not pcall(setmetatable, {}, { __mode = "k" }) then refused = refused + 1 end
  local mt = {}
  local t = setmetatable({}, mt)
  mt.__gc = function() while true do end end    -- too late: the installed metatable is a copy
  mt.__mode = "kv"
  for i = 1, 1000 do t[{}] = i end
  if getmetatable(t) ~= mt then refused = refused + 100 end
  return rules.result(h, refused)
end
