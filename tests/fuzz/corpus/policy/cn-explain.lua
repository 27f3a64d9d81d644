-- rules/explain.lua — the income breakdown that explanations show (sa explain, docs/explain.md).
--
-- rules.income_detail(h, arg, ctx) returns, for each member, whether the member counts in the
-- household (Art. 7) and each kind of income with its monthly amount, whether it is counted
-- and the clause that says so. It reads the same facts as the decision (rules.facts,
-- rules.employment_cost, income.central_basic_pension_excluded), so the breakdown adds up to
-- the household total the 低保 test used. Called by libsa, never by rules.evaluate.

local REF_13 = "最低生活保障审核确认办法（民发〔2021〕57号）第十三条"
local REF_13_EX = REF_13 .. "（不计入家庭收入）"
local REF_13_3 = REF_13 .. "（三）"
local REF_TK_6 = "特困人员认定办法（民发〔2021〕43号）第六条"

-- kind, zh, en, sign (+1 income, -1 deducted), counted (true, false, or "param")
local KINDS = {
  { "wages", "工资性收入", "wages", 1, true, REF_13 },
  { "business", "经营净收入", "net business income", 1, true, REF_13 },
  { "property", "财产净收入", "net property income", 1, true, REF_13 },
  { "transfers", "转移净收入", "net transfers", 1, true, REF_13 },
  { "pension", "养老金", "pension", 1, true, REF_13 },
  { "maintenance_received", "收到的赡养（扶养、抚养）费", "maintenance received", 1, true, REF_13 },
  { "maintenance_paid", "支付的赡养（扶养、抚养）费", "maintenance paid", -1, true, REF_13 },
  { "taxes_and_contributions", "个人所得税及社会保障支出", "taxes and social contributions", -1, true, REF_13 },
  { "basic_pension_central", "城乡居民基本养老保险基础养老金", "central basic pension", 1, "param", REF_13_3 },
  { "special_care", "优待抚恤金", "special-care payments", 1, false, REF_13_EX },
  { "family_planning", "计划生育奖励与扶助金", "family-planning awards", 1, false, REF_13_EX },
  { "scholarship", "奖学金、助学金", "scholarships and grants", 1, false, REF_13_EX },
  { "bravery_award", "见义勇为等奖励性补助", "awards for bravery", 1, false, REF_13_EX },
  { "assistance", "政府发放的社会救助款物", "government social assistance", 1, false, REF_13_EX },
  { "old_age_allowance", "高龄津贴", "old-age allowance", 1, false, REF_13_EX .. "；" .. REF_TK_6 },
}

function rules.income_detail(h, arg, ctx)
  local F = rules.facts(h, ctx)
  local out = { members = {}, persons = F.n, total = F.total_income, standard = F.standard }
  for i, info in ipairs(F.members) do
    local m = info.m
    local row = { id = m.id, relation = m.relation, age = info.age, items = {} }
    if info.counted == true then row.membership = "counted"
    elseif info.counted == false then row.membership = "not_counted"
    else row.membership = "unknown" end
    if info.reason then row.membership_rule, row.membership_ref = info.reason.id, info.reason.ref end
    local inc = m.income
    if inc == nil then
      row.income_known = false
    else
      row.income_known = true
      local items = row.items
      for _, k in ipairs(KINDS) do
        local amount = inc[k[1]]
        if amount ~= nil and amount ~= 0 then
          local counted = k[5]
          if counted == "param" then
            local ex = rules.param(ctx, "income.central_basic_pension_excluded")
            if ex == nil then counted = "unknown" else counted = not ex end
          end
          items[#items + 1] = { kind = k[1], zh = k[2], en = k[3], amount = k[4] * amount,
                                counted = counted, ref = k[6] }
        end
      end
      local ec = rules.employment_cost(m, h, ctx)
      if ec ~= nil and ec > 0 then
        items[#items + 1] = { kind = "employment_cost", zh = "必要的就业成本（扣除）", en = "employment costs (deducted)",
                              amount = -ec, counted = true, ref = REF_13 }
      end
      row.counted_total = F.income[m.id]
    end
    out.members[i] = row
  end
  return out
end
