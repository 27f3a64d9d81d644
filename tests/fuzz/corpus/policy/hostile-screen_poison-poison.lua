-- A pack that decides well for every household but one: the household "evil" tries to halve
-- the standard for every household screened after it (through the storage of a load-time
-- table). Contained, every decision equals the one a fresh engine makes.
local STANDARD = { fen = 10000 }
local byindex = setmetatable({}, { __index = function(t, k) return t end })
function rules.evaluate(h, ctx)
  if h.id == "evil" then
    pcall(function() local _, s = pairs(STANDARD); s.fen = s.fen // 2 end)
    pcall(function() local s = byindex.x; s.halve = true end)
  end
  local fen = STANDARD.fen
  if byindex.halve == true then fen = fen // 2 end
  return rules.result(h, fen * #h.members)
end
