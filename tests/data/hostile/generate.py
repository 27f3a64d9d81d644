import os
root = os.path.dirname(os.path.abspath(__file__))
def w(path, text):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f: f.write(text)

BASE_PACK = '''id: cn
title: hostile-test baseline (well-behaved)
region: "000000"
version: "1"
'''
w('base/cn/pack.yaml', BASE_PACK)
w('base/cn/params.yaml', '''params:
  test.amount:
    type: money
    unit: yuan/person/month
    title: test amount
    ref: tests/data/hostile
    values:
      - from: 2000-01-01
        value: "100"
        ref: tests/data/hostile
''')
w('base/cn/rules/00_base.lua', '''-- Well-behaved baseline for the hostile packs: amount = test.amount + members (fen).
function rules.result(h, amount)
  return { tier = "dibao", circle = 1, programs = {
    { program = "dibao", status = "eligible", amount = amount, members = { h.members[1].id },
      reasons = { { id = "base.ok", zh = "基线", en = "baseline", params = { "test.amount" } } } } } }
end

function rules.evaluate(h, ctx)
  return rules.result(h, sa.param("test.amount") + #h.members)
end
''')
w('base/cn/tests/basic.yaml', '''cases:
  - name: baseline
    source: tests/data/hostile/base
    date: 2025-08-01
    household:
      id: b1
      region: "530102"
      area: urban
      members:
        - { id: m1, relation: head, birth: 1960-01-01 }
    expect:
      programs:
        dibao: { status: eligible, amount: "100.01" }
''')

def child(case, lua, name='attack.lua', params=None):
    w(f'{case}/cn-x/pack.yaml', f'''id: cn-x
title: hostile case {case}
region: "530000"
extends: cn
version: "1"
''')
    w(f'{case}/cn-x/rules/{name}', lua)
    if params:
        w(f'{case}/cn-x/params.yaml', params)

# 1-4, 14: escapes. Each name must be unreachable; amount = number reachable.
child('escape', '''-- Try every way out of the sandbox; count the ones that work (must be 0).
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
''')
w('bytecode/cn-x/pack.yaml', '''id: cn-x
title: hostile case bytecode
region: "530000"
extends: cn
version: "1"
''')
os.makedirs(os.path.join(root, 'bytecode/cn-x/rules'), exist_ok=True)
with open(os.path.join(root, 'bytecode/cn-x/rules/binary.lua'), 'wb') as f:
    f.write(b'\x1bLuaT\x00\x19\x93\r\n\x1a\n\x04\x08\x08xV\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00(w@')

# 5: poisoning shared tables and metatables
child('poison', '''-- Try to change what other evaluations see; count the attempts that work (must be 0).
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
''')

# 6: state between households
child('state_upvalue', '''-- Keeps a counter and a history in upvalues: must restart for every household.
local n = 0
local last = nil
local helper = { calls = 0 }
local function bump() n = n + 1; return n end
function rules.evaluate(h, ctx)
  local k = bump()
  local prev = last
  last = h.id
  helper = { calls = 99 }        -- rebinding an upvalue is undone after the evaluation
  local amount = k * 1000 + (prev == nil and 1 or 2) + sa.param("test.amount")
  return rules.result(h, amount)
end
''')
child('state_table', '''-- Tries to remember households in a table built at load time: the table is read-only.
local seen = {}
local count = { n = 0 }
function rules.evaluate(h, ctx)
  count.n = count.n + 1
  seen[#seen + 1] = h.id
  return rules.result(h, #seen)
end
''')
child('state_read', '''-- Reads load-time tables (allowed): lookups, #, ipairs, pairs on frozen tables still work.
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
''')

# 7: finalizers
child('gc', '''-- Finalizers and weak tables are refused; a metatable changed afterwards has no effect.
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
''')

# 8, 9: loops
child('loop', '''function rules.evaluate(h, ctx)
  while true do end
end
''')
child('loop_pcall', '''function rules.evaluate(h, ctx)
  while true do
    pcall(function() while true do end end)
    xpcall(function() while true do end end, function() while true do end end)
  end
end
''')
child('loop_load', '''-- Never finishes loading.
local x = 0
while true do x = x + 1 end
''')

# 10: long C calls
for name, body in {
  'c_rep': 'local s = string.rep("x", 1 << 40)',
  'c_rep_method': 'local s = ("ab"):rep(1 << 30, ",")',
  'c_concat_range': 'local s = table.concat({}, "", 1, 1 << 40)',
  'c_unpack': 'local a = table.unpack({}, 1, 1 << 30)',
  'c_sort_bad': 'local t = {} for i = 1, 5000 do t[i] = (i * 7919) % 5000 end table.sort(t, function(a, b) return true end) table.sort(t, function(a, b) while true do end end)',
  'c_insert': 'local t = {} for i = 1, 200000 do t[i] = i end while true do table.insert(t, 1, 0); table.remove(t, 1) end',
  'c_utf8': 'local s = string.rep("é", 500000) while true do local n = utf8.len(s) end',
  'c_churn': 'local s = string.rep("x", 1 << 20) while true do local t = s .. "y" end',
  'c_upper': 'local s = string.rep("x", 1 << 20) while true do local t = s:upper() end',
  'c_pairs': 'local t = {} for i = 1, 100000 do t["k" .. i] = i end while true do for k in pairs(t) do break end end',
  'c_next': 'local t = {} for i = 1, 100000 do t["k" .. i] = i end while true do local k = next(t) end',
  'c_format': 'local s = string.rep("x", 1 << 20) while true do local t = string.format("%s", s) end',
  'c_byte': 'local s = string.rep("x", 1 << 20) while true do local t = s:byte(1, -1) end',
}.items():
    child(name, f'''function rules.evaluate(h, ctx)
  {body}
  return rules.result(h, 1)
end
''')

# 11: memory bombs
child('mem_table', '''function rules.evaluate(h, ctx)
  local t = {}
  while true do t[#t + 1] = { 1, 2, 3, 4 } end
end
''')
child('mem_string', '''function rules.evaluate(h, ctx)
  local s = "x"
  while true do s = s .. s end
end
''')
child('mem_pcall', '''-- A memory error cannot be swallowed by pcall either.
function rules.evaluate(h, ctx)
  local keep = {}
  while true do
    pcall(function() while true do keep[#keep + 1] = string.rep("y", 1000) .. #keep end end)
  end
end
''')
child('mem_load', '''-- Exhausts memory while loading.
local t = {}
while true do t[#t + 1] = { 1, 2, 3 } end
''')

# 12: recursion
child('deep_lua', '''function rules.evaluate(h, ctx)
  local function f(n) return f(n + 1) + 1 end
  return rules.result(h, f(1))
end
''')
child('deep_c', '''-- Recursion through C functions: pcall, metamethods, sort comparators, tostring.
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
''')
w('deep_parse/cn-x/pack.yaml', '''id: cn-x
title: hostile case deep_parse
region: "530000"
extends: cn
version: "1"
''')
w('deep_parse/cn-x/rules/parse.lua', 'local x = ' + '(' * 100000 + '1' + ')' * 100000 + '\n' +
  'local y = ' + '{' * 5000 + '}' * 5000 + '\n')

# 15: host bindings with hostile arguments
child('api_abuse', '''-- Every sa.* helper with wrong types and extreme values: errors, never a crash.
function rules.evaluate(h, ctx)
  local bad = { {}, "x", -1, 0, math.maxinteger, math.mininteger, 1.5, true, 0/0, 1e308, "20250101" }
  local fns = { "param", "param_at", "mul", "div", "round", "age", "add_months", "yuan", "date_text" }
  local ok = 0
  for _, n in ipairs(fns) do
    for _, a in ipairs(bad) do
      for _, b in ipairs(bad) do
        if pcall(sa[n], a, b, a) then ok = ok + 1 end
        if pcall(sa[n], a, b, "up_yuan") then ok = ok + 1 end
      end
    end
  end
  pcall(sa.mul, math.maxinteger, { num = math.maxinteger, den = 1 }, "up_fen")
  pcall(sa.div, math.mininteger, 1, "down_fen")
  local r = sa.param("test.amount")
  return rules.result(h, r + #h.members)
end
''')

# 16: nondeterminism
child('order', '''-- Builds text from iteration order; must be the same in every state.
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
''')

# output limit
child('output', '''function rules.evaluate(h, ctx)
  local r = rules.result(h, 1)
  local long = string.rep("理", 400)
  for i = 1, 2000 do
    r.programs[1].reasons[i] = { id = "r" .. i, zh = long, en = "x" }
  end
  return r
end
''')

# load errors
child('load_syntax', '''-- a syntax error on line 3
function rules.evaluate(h, ctx)
  return rules.result(h, 1 +)
end
''')
child('load_runtime', '''-- a runtime error while loading, on line 3
local t = nil
local x = t.field
function rules.evaluate(h, ctx) return rules.result(h, 1) end
''')
child('load_global', '''-- creating a global while loading
helper = 1
''')
child('load_badparam', '''function rules.evaluate(h, ctx) return rules.result(h, 1) end
''', params='''params:
  test.amount:
    values:
      - from: 2020-01-01
        value: "twelve yuan"
        ref: wrong type
''')
w('noeval/cn/pack.yaml', BASE_PACK)
w('noeval/cn/rules/00_helpers.lua', '''-- defines helpers but no rules.evaluate
function rules.helper(h) return 1 end
''')

# reload: two versions of the same pack whose results differ
for v, amount in (('v1', '100'), ('v2', '200')):
    w(f'reload_{v}/cn/pack.yaml', BASE_PACK.replace('version: "1"', f'version: "{v}"'))
    w(f'reload_{v}/cn/params.yaml', open(os.path.join(root, 'base/cn/params.yaml')).read().replace('"100"', f'"{amount}"'))
    w(f'reload_{v}/cn/rules/00_base.lua', open(os.path.join(root, 'base/cn/rules/00_base.lua')).read())
    w(f'reload_{v}/cn/tests/basic.yaml', open(os.path.join(root, 'base/cn/tests/basic.yaml')).read().replace('"100.01"', f'"{amount}.01"'))
# a version whose golden test fails (expects the wrong amount)
w('reload_badtest/cn/pack.yaml', BASE_PACK.replace('version: "1"', 'version: "bad"'))
w('reload_badtest/cn/params.yaml', open(os.path.join(root, 'base/cn/params.yaml')).read().replace('"100"', '"300"'))
w('reload_badtest/cn/rules/00_base.lua', open(os.path.join(root, 'base/cn/rules/00_base.lua')).read())
w('reload_badtest/cn/tests/basic.yaml', open(os.path.join(root, 'base/cn/tests/basic.yaml')).read())
