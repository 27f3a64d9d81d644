-- pairs over small tables (walked by next, no key list) and large ones (a sorted key list)
-- must visit keys in the one documented order: false < true < numbers < strings by bytes
-- (docs/security.md #16). Returns 1000 when every order below is the expected one.
local FROZEN = { b = 2, a = 1, [3] = "x" } -- frozen at load: pairs walks the proxy

local function order(t)
  local parts = {}
  for k in pairs(t) do parts[#parts + 1] = tostring(k) end
  return table.concat(parts, ",")
end

function rules.evaluate(h, ctx)
  local ok = 0
  local small = { zeta = 1, alpha = 2, [10] = 3, [2] = 4, [true] = 5, [false] = 6, ["10"] = 7 }
  if order(small) == "false,true,2,10,10,alpha,zeta" then ok = ok + 1 end
  if order(FROZEN) == "3,a,b" then ok = ok + 1 end
  if order({}) == "" then ok = ok + 1 end
  local big = {}
  for i = 9, 1, -1 do big["k" .. i] = i end
  big[1.5] = 0; big[7] = 0; big[-2] = 0; big[true] = 0; big[false] = 0; big["K"] = 0; big["k10"] = 0
  if order(big) == "false,true,-2,1.5,7,K,k1,k10,k2,k3,k4,k5,k6,k7,k8,k9" then ok = ok + 1 end
  -- clearing the current key while walking is allowed and the walk goes on in order
  local seen = {}
  local c = { d = 4, b = 2, a = 1, c = 3 }
  for k in pairs(c) do seen[#seen + 1] = k; c[k] = nil end
  if table.concat(seen, ",") == "a,b,c,d" and next(c) == nil then ok = ok + 1 end
  return rules.result(h, ok * 200)
end
