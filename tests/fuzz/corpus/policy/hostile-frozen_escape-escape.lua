-- Every way we know to reach the writable storage of a frozen (load-time) table and keep a
-- count in it across households: pairs/next/ipairs results, metamethods that receive the
-- table (__index, __len, __call, __eq, __concat, __tostring, chained __index), metatables
-- kept at load time, upvalues. amount = the counts read back; contained: 0 for every household.
local T = { n = 0 }
local byindex = setmetatable({}, { __index = function(t, k) return t end })
local bylen = setmetatable({}, { __len = function(t) t.n = (t.n or 0) + 1; return 0 end })
local bycall = setmetatable({}, { __call = function(t) t.n = (t.n or 0) + 1 end })
local byeq = setmetatable({}, { __eq = function(a, b) a.n = (a.n or 0) + 1; return false end })
local byconcat = setmetatable({}, { __concat = function(a, b) a.n = (a.n or 0) + 1; return "" end })
local bytostring = setmetatable({}, { __tostring = function(t) t.n = (t.n or 0) + 1; return "" end })
local chain = setmetatable({}, { __index = setmetatable({}, { __index = function(t, k) return t end }) })
local mt_kept = {}
local withmt = setmetatable({}, mt_kept)
local got_mt = getmetatable(withmt)
local function upv() return T end

local function write(s) s.n = (type(s.n) == "number" and s.n or 0) + 1 end
local function num(x) return type(x) == "number" and x or 0 end

function rules.evaluate(h, ctx)
  local tries = {
    function() local _, s = pairs(T); write(s) end,
    function() local it, s = pairs(T); it(s, nil); write(s) end,
    function() local _, s = ipairs(T); write(s) end,
    function() write(byindex.anything) end,
    function() write(chain.anything) end,
    function() local _ = #bylen end,
    function() bycall() end,
    function() local _ = (byeq == setmetatable({}, {})) end,
    function() local _ = byconcat .. "x" end,
    function() local _ = tostring(bytostring) end,
    function() write(got_mt) end,
    function() write(mt_kept) end,
    function() write(upv()) end,
    function() for k, v in pairs(T) do write(T) end end,
    function() local k = next(T); write(T) end,
    function() setmetatable(T, {}) end,
  }
  for _, f in ipairs(tries) do pcall(f) end
  local seen = num(T.n) + num(byindex.n) + num(chain.n) + num(bylen.n) + num(bycall.n) + num(byeq.n)
    + num(byconcat.n) + num(bytostring.n) + num(got_mt.n) + num(mt_kept.n)
  return rules.result(h, seen)
end
