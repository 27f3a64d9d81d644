-- Reads load-time tables (allowed): lookups, #, ipairs, pairs on frozen tables still work.
local LIST = { 10, 20, 30 }
local MAP = { a = 1, b = 2, c = 3 }
local Class = {}
Class.__index = Class
function Class.new(v) return setmetatable({ v = v }, Class) end
function Class:get() return self.v end
function rules.evaluate(h, ctx)
  local s = 0
  for _, v in ipairs(LIST) do s = s + v end
  for k, v in pairs(MAP) do s = s + v end
  s = s + #LIST + Class.new(5):get()
  local ok = pcall(function() LIST[1] = 0 end)
  if ok then s = s + 1000 end
  return rules.result(h, s)
end
