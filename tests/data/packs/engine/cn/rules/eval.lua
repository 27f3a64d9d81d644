-- Fixture rules for tests/unit/test_engine.c and docs/decision.md: small, but they use
-- sa.param, sa.mul, sa.div and sa.age, and give reasons that name parameters.

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
    return { program = "tekun", status = "ineligible",
      reasons = { { id = "tekun.age", zh = "无60周岁以上成员", en = "no member aged 60 or over",
        ref = "fixture Art. 1" } } }
  end
  local basic = sa.mul(S, sa.param("tekun.basic_multiplier"))
  return {
    program = "tekun", status = "eligible", care_level = "self", members = old,
    amount = basic, parts = { basic = basic },
    reasons = { { id = "tekun.basic", zh = "基本生活标准 = 倍数 × 低保标准",
      en = "basic living = multiplier x dibao standard", ref = "fixture Art. 2",
      params = { "tekun.basic_multiplier", sname } } },
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
    return { program = "dibao", status = "ineligible",
      reasons = { { id = "dibao.income", zh = "人均收入不低于低保标准",
        en = "per-capita income not below the standard", ref = "fixture Art. 3", params = { sname } } } }
  end
  return {
    program = "dibao", status = "eligible", amount = S * n - total, members = ids(h),
    reasons = { { id = "dibao.gap", zh = "差额 = 标准 × 人数 − 家庭收入",
      en = "gap = standard x members - household income", ref = "fixture Art. 3", params = { sname } } },
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
