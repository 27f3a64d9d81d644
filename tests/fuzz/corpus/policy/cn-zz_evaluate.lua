-- rules/zz_evaluate.lua — the entry point: programs, tier and circle.
--
-- Order: facts; the household dibao test (特困 Art. 8 (二) needs it for supporters living in
-- the household); 特困; then, without the members recognised as 特困: 低保 (with 单人保),
-- 低保边缘 (needs 低保), 刚性支出 (needs all three).

-- Tier: the highest eligible program, 特困 > 低保 > 边缘 > 刚性支出, else "none"
-- (an undetermined program does not set the tier).
local TIERS = { "tekun", "dibao", "edge", "rigid" }
function rules.tier(h, ctx, F)
  local R = F.results
  for i = 1, 4 do
    local name = TIERS[i]
    local p = R[name]
    if p and p.status == "eligible" then return name end
  end
  return "none"
end

-- Circle (圈层), as Hunan's layered system describes it (shared/seeds: 湖南 “救”在身边 温暖可及):
-- 1 = 特困, orphans and 事实无人抚养儿童; 2 = 低保, 防止返贫监测对象, 低保边缘;
-- 3 = 刚性支出困难家庭 and other people in difficulty. orphan, de_facto_orphan and monitored
-- are statuses libsa does not decide: they come from h.enrolments. A household with nothing
-- gets nil (libsa has no "other people in difficulty" test yet).
function rules.circle(tier, h, ctx, F)
  local enr = h.enrolments or {}
  local orphan = F and F.results and F.results.orphan
  if tier == "tekun" or enr.orphan or enr.de_facto_orphan then return 1 end
  if orphan and orphan.status == "eligible" then return 1 end
  if tier == "dibao" or tier == "edge" or enr.monitored then return 2 end
  if tier == "rigid" then return 3 end
  return nil
end

-- 特困 comes before 低保 because a member recognised as 特困 leaves the household that 低保,
-- 边缘 and 刚性支出 assess (see rules.facts); the 低保 test on the whole household is done first
-- all the same, for 特困 Art. 8 (二) (a household member aged 60+ on 低保 cannot support).
function rules.evaluate(h, ctx)
  local F = rules.facts(h, ctx)
  F.results = {}
  F.dibao, F.dibao_reasons, F.dibao_missing = rules.dibao_household(h, ctx, F)
  local tekun = rules.tekun(h, ctx, F)
  local D = F
  if tekun.status == "eligible" then
    -- the household the tekun fixpoint left (its members found 特困 are out of it)
    D = F.tekun_D
    if D == nil then
      local skip, tm = {}, tekun.members
      for i = 1, #tm do skip[tm[i]] = true end
      D = rules.facts(h, ctx, skip)
      D.dibao, D.dibao_reasons, D.dibao_missing = rules.dibao_household(h, ctx, D)
    end
    D.results = F.results
  end
  D.results.tekun = tekun
  local dibao = rules.dibao(h, ctx, D)
  D.results.dibao = dibao
  local edge = rules.edge(h, ctx, D)
  D.results.edge = edge
  local rigid = rules.rigid(h, ctx, D)
  D.results.rigid = rigid
  local orphan = rules.orphan(h, ctx, D)
  D.results.orphan = orphan
  local tier = rules.tier(h, ctx, D)
  return {
    tier = tier,
    circle = rules.circle(tier, h, ctx, D),
    programs = { tekun, dibao, edge, rigid, orphan },
  }
end
