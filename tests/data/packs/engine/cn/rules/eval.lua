-- Fixture rules for tests/unit/test_engine.c and docs/decision.md: small, but they use
-- sa.param, sa.mul, sa.div and sa.age, and give reasons that name parameters. Written to the
-- rule contract of docs/rule-authors.md 5.5: reasons declared once (sa.reason_def), written per
-- household (sa.reason); a program's reasons are one handle or a list of handles.

local TEKUN_AGE = sa.reason_def("tekun.age", "无60周岁以上成员", "no member aged 60 or over", "fixture Art. 1")
local TEKUN_BASIC, DIBAO_INCOME, DIBAO_GAP = {}, {}, {} -- by the standard's parameter name
for _, name in ipairs({ "dibao.standard_urban", "dibao.standard_rural" }) do
  TEKUN_BASIC[name] = sa.reason_def("tekun.basic", "基本生活标准 = 倍数 × 低保标准",
    "basic living = multiplier x dibao standard", "fixture Art. 2", { "tekun.basic_multiplier", name })
  DIBAO_INCOME[name] = sa.reason_def("dibao.income", "人均收入不低于低保标准",
    "per-capita income not below the standard", "fixture Art. 3", { name })
  DIBAO_GAP[name] = sa.reason_def("dibao.gap", "差额 = 标准 × 人数 − 家庭收入",
    "gap = standard x members - household income", "fixture Art. 3", { name })
end

local function standard(h)
  local name = h.area == "urban" and "dibao.standard_urban" or "dibao.standard_rural"
  return sa.param(name), name
end

local function ids(h)
  local out = {}
  for _, m in ipairs(h.members) do out[#out + 1] = m.id end
  return out
end

function rules.tekun(h, ctx)
  local S, sname = standard(h)
  if S == nil then
    return { program = "tekun", status = "undetermined", missing = { "param:" .. sname } }
  end
  local old = {}
  for _, m in ipairs(h.members) do
    if sa.age(m.birth, ctx.as_of) >= 60 then old[#old + 1] = m.id end
  end
  if #old == 0 then
    return { program = "tekun", status = "ineligible", reasons = sa.reason(TEKUN_AGE) }
  end
  local basic = sa.mul(S, sa.param("tekun.basic_multiplier"))
  return {
    program = "tekun", status = "eligible", care_level = "self", members = old,
    amount = basic, parts = { basic = basic },
    reasons = { sa.reason(TEKUN_BASIC[sname]) },
  }
end

function rules.dibao(h, ctx)
  local S, sname = standard(h)
  local n, total, missing = #h.members, 0, {}
  for _, m in ipairs(h.members) do
    if m.income == nil then
      missing[#missing + 1] = "member:" .. m.id .. ".income"
    else
      total = total + m.income.wages + m.income.pension
    end
  end
  if S == nil then missing[#missing + 1] = "param:" .. sname end
  if #missing > 0 then
    return { program = "dibao", status = "undetermined", missing = missing }
  end
  if sa.div(total, n, "half_up_fen") >= S then
    return { program = "dibao", status = "ineligible", reasons = sa.reasons(sa.reason(DIBAO_INCOME[sname])) }
  end
  return {
    program = "dibao", status = "eligible", amount = S * n - total, members = ids(h),
    reasons = { sa.reason(DIBAO_GAP[sname]) },
  }
end

function rules.evaluate(h, ctx)
  if h.id == "boom" then
    error("a rule failed on purpose")
  end
  local tekun = rules.tekun(h, ctx)
  local dibao = rules.dibao(h, ctx)
  local tier, circle = "none", nil
  if tekun.status == "eligible" then
    tier, circle = "tekun", 1
  elseif dibao.status == "eligible" then
    tier, circle = "dibao", 2
  end
  return { tier = tier, circle = circle, programs = { tekun, dibao } }
end
