-- Builds text from iteration order; must be the same in every state.
function rules.evaluate(h, ctx)
  local t = {}
  for i = 1, 64 do t["key" .. i] = i; t[i * 3] = i end
  t[1.5] = 0; t[true] = 1; t[false] = 2
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = tostring(k) end
  local k, n = next(t), 0
  while k ~= nil do n = n + 1; parts[#parts + 1] = tostring(k); k = next(t, k) end
  local words = {}
  for i = 1, 200 do words[i] = { w = "w" .. (i % 17), i = i } end
  table.sort(words, function(a, b) return a.w < b.w end)   -- ties: a stable sort keeps i order
  for i = 1, #words do parts[#parts + 1] = words[i].i end
  parts[#parts + 1] = tostring({})
  parts[#parts + 1] = tostring(tostring)
  parts[#parts + 1] = string.format("%s", {})
  local ok = pcall(string.format, "%p", {})
  parts[#parts + 1] = tostring(ok)
  local text = table.concat(parts, ",")
  local hash = 0
  for i = 1, #text do hash = (hash * 31 + text:byte(i)) % 1000000007 end
  return rules.result(h, hash)
end
