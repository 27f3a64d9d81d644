-- rules/special.lua — 专项救助: which medical, education, housing and employment assistance
-- each tier opens (国办发〔2023〕39号 §5.3 of policy-facts; docs/services.md "Special").
--
-- libsa calls rules.special(h, arg, ctx) after the tier decision (it is not called from
-- rules.evaluate) with arg = { tier = "dibao", members = { m1 = "dibao", ... } }: each member's
-- highest eligible tier. It returns programs "special.medical", "special.education",
-- "special.housing", "special.employment", which libsa appends to the decision. They carry no
-- amount: the amounts are set by the departments that run them (医保, 教育, 住建, 人社).
--   medical    : 特困 full premium subsidy, 低保 fixed subsidy; inpatient and chronic/major
--                outpatient assistance for 特困, 低保, 边缘, 刚性支出 members.
--   education  : members in school (education.level other than none) of 特困, 低保, 边缘, 刚性支出.
--   housing    : 低保, dispersed (home) 特困, 边缘, 刚性支出 households; centralised 特困 live in an
--                institution and are not listed.
--   employment : members aged 16–59 of 低保, 边缘, 刚性支出 (not 特困: no labour capacity by
--                definition), unless stated unable to work.

local REF = "关于加强低收入人口动态监测做好分层分类社会救助工作的意见（国办发〔2023〕39号）"

local NAME = { tekun = "特困人员", dibao = "低保对象", edge = "低保边缘家庭成员", rigid = "刚性支出困难家庭成员" }
local R = {} -- this file's reasons (sa.reason_def at the end of the file)
local EMPTY = sa.EMPTY

-- `pending`: missing names of the tier programs left undetermined (libsa passes them in
-- arg.pending). A special program with no member yet is then undetermined, not ineligible:
-- a member may still reach a tier (issue 13 point 8).
-- (The texts of each program are declared once, at the end of the file: R[name .. ".open"],
-- R[name .. ".none"].)
local function program(name, members, extra, pending)
  local eligible = #members > 0
  if not eligible and pending and #pending > 0 then
    local missing = {}
    rules.missing_add(missing, pending)
    return { program = name, status = "undetermined", members = members, missing = missing }
  end
  return { program = name, status = eligible and "eligible" or "ineligible", members = members,
           reasons = sa.reasons(sa.reason(R[name .. (eligible and ".open" or ".none")]), extra), missing = EMPTY }
end

function rules.special(h, arg, ctx)
  local tiers = (arg and arg.members) or {}
  local pending = arg and arg.pending
  local med, edu, house, job = {}, {}, {}, {}
  local med_extra, seen = nil, {}
  local house_ok = false
  -- could a member still open education / employment once the pending tiers are decided?
  local could_edu, could_job = false, false
  for _, m in ipairs(h.members) do
    local lv = m.education and m.education.level
    if tiers[m.id] == nil and lv ~= nil and lv ~= "none" then could_edu = true end
    local age = sa.age(m.birth, ctx.as_of)
    if tiers[m.id] == nil and age >= 16 and age < 60 and m.able_to_work ~= false then could_job = true end
  end
  for _, m in ipairs(h.members) do
    local t = tiers[m.id]
    if t then
      med[#med + 1] = m.id
      if not seen[t] then
        seen[t] = true
        local premium = R["special.medical.premium." .. t]
        if premium then med_extra = sa.reasons(med_extra, sa.reason(premium)) end
      end
      local edu_level = m.education and m.education.level
      if edu_level ~= nil and edu_level ~= "none" then edu[#edu + 1] = m.id end
      if t ~= "tekun" then
        local age = sa.age(m.birth, ctx.as_of)
        if age >= 16 and age < 60 and m.able_to_work ~= false then job[#job + 1] = m.id end
      end
      if t ~= "tekun" or m.support_mode == "home" then
        house[#house + 1] = m.id
        house_ok = true
      end
    end
  end
  return {
    program("special.medical", med, med_extra, pending),
    program("special.education", edu, nil, could_edu and pending or nil),
    program("special.housing", house_ok and house or EMPTY, nil, pending),
    program("special.employment", job, nil, could_job and pending or nil),
  }
end

-- ------------------------------------------------------------------ reasons
-- Declared once when the pack loads (docs/rule-authors.md §5.5).
local function def(name, yes_zh, yes_en, no_zh, no_en, ref)
  R[name .. ".open"] = sa.reason_def(name .. ".open", yes_zh, yes_en, ref, nil, nil)
  R[name .. ".none"] = sa.reason_def(name .. ".none", no_zh, no_en, ref, nil, nil)
end
def("special.medical",
  "医疗救助：住院及门诊慢特病费用按规定救助", "medical assistance: inpatient and chronic/major-disease outpatient costs",
  "无低收入人口成员，不适用医疗救助", "no member in a low-income tier: no medical assistance", REF .. "（医疗救助）")
def("special.education",
  "教育救助：在学成员按规定享受奖助学金、助学贷款、减免学费等", "education assistance for members in school (grants, loans, fee waivers)",
  "无在学的低收入人口成员", "no member of a low-income tier is in school", REF .. "（教育救助）")
def("special.housing",
  "住房救助：城镇公租房或租赁补贴、农村危房改造优先", "housing assistance: public rental housing or rent subsidy; priority for rural dangerous-house repair",
  "无符合住房救助的成员（集中供养特困人员不适用）", "no member qualifies for housing assistance (institutional tekun excluded)", REF .. "（住房救助）")
def("special.employment",
  "就业救助：贷款贴息、税费减免、培训补贴、社会保险补贴等", "employment assistance: interest and tax relief, training and social-insurance subsidies",
  "无16至59周岁的低保、边缘或刚性支出成员", "no member aged 16-59 on dibao, edge or rigid", REF .. "（就业救助）")
for t, what in pairs({
  tekun = { "全额资助参加城乡居民基本医疗保险", "full subsidy of the resident medical-insurance premium" },
  dibao = { "定额资助参加城乡居民基本医疗保险", "fixed subsidy of the resident medical-insurance premium" },
}) do
  R["special.medical.premium." .. t] = sa.reason_def("special.medical.premium." .. t, NAME[t] .. "：" .. what[1],
    t .. ": " .. what[2], REF .. "（医疗救助）", nil, nil)
end
