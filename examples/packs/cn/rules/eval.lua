-- The example's rules: 特困 basic living for each member aged 60 or over (1.3 x the standard,
-- rounded up to the yuan), and the household-level 低保 gap. Deliberately small; the shipped
-- policies/cn/rules are the real ones.

local function standard(h)
  local name = h.area == "urban" and "dibao.standard_urban" or "dibao.standard_rural"
  return sa.param(name), name
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
      reasons = { { id = "tekun.age", zh = "无60周岁以上成员", en = "no member aged 60 or over" } } }
  end
  -- per person, then for the household: the amount is what the household receives a month
  local basic = sa.mul(S, sa.param("tekun.basic_multiplier")) * #old
  return {
    program = "tekun", status = "eligible", amount = basic, parts = { basic = basic },
    care_level = "self", members = old,
    reasons = { { id = "tekun.basic", zh = "基本生活标准不低于低保标准的1.3倍",
      en = "basic living is at least 1.3 x the dibao standard", ref = "特困人员认定办法 (example)",
      params = { "tekun.basic_multiplier", sname } } },
  }
end

function rules.dibao(h, ctx)
  local S, sname = standard(h)
  local total, missing, ids = 0, {}, {}
  for _, m in ipairs(h.members) do
    ids[#ids + 1] = m.id
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
  if sa.div(total, #ids, "half_up_fen") >= S then
    return { program = "dibao", status = "ineligible",
      reasons = { { id = "dibao.income", zh = "人均收入不低于低保标准", en = "per-capita income is not below the standard",
        params = { sname } } } }
  end
  return {
    program = "dibao", status = "eligible", amount = S * #ids - total, members = ids,
    reasons = { { id = "dibao.gap", zh = "按家庭差额发放：标准 × 人数 − 家庭收入",
      en = "the household gap: standard x members - household income",
      ref = "最低生活保障审核确认办法（民发〔2021〕57号）第二十三条", params = { sname } } },
  }
end

function rules.evaluate(h, ctx)
  local tekun, dibao = rules.tekun(h, ctx), rules.dibao(h, ctx)
  local tier, circle = "none", nil
  if tekun.status == "eligible" then
    tier, circle = "tekun", 1
  elseif dibao.status == "eligible" then
    tier, circle = "dibao", 2
  end
  return { tier = tier, circle = circle, programs = { tekun, dibao } }
end
