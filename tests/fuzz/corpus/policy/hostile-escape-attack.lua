-- Try every way out of the sandbox; count the ones that work (must be 0).
local names = { "io", "os", "package", "require", "dofile", "loadfile", "load", "loadstring",
  "debug", "coroutine", "collectgarbage", "print", "rawset", "rawget", "rawequal", "rawlen",
  "module", "setfenv", "getfenv", "newproxy", "_G", "jit", "ffi", "utf8x" }
function rules.evaluate(h, ctx)
  local found = 0
  for _, n in ipairs(names) do
    local ok, v = pcall(function() return _ENV[n] end)
    if ok and v ~= nil then found = found + 1 end
  end
  local lib = { "dump", "find", "match", "gmatch", "gsub", "pack", "unpack", "packsize" }
  for _, n in ipairs(lib) do
    if string[n] ~= nil or ("")[n] ~= nil then found = found + 100 end
  end
  if getmetatable("") ~= false then found = found + 1000 end
  if math.random ~= nil or math.randomseed ~= nil then found = found + 10000 end
  if getmetatable(_ENV) ~= false then found = found + 100000 end
  local n = 0
  for _ in pairs(_ENV) do n = n + 1 end
  return rules.result(h, found + n * 1000000)
end
