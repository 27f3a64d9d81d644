-- lint fixture
local param = rules.param
function rules.dibao_supplement(m, h, ctx, F, S)
  local extra = param(ctx, "supplement.eldery")
  local share = sa.param("supplement.minor")
  if extra == nil and share == nil then return 0, nil, {} end
  return S * 1.5, nil, {}
end
