description = [[
Line one of our test.
  Indented line.

Paragraph two.
]]
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe", "discovery"}
portrule = function(host, port) return true end
action = function(host, port)
  local t = {}
  t.a = "x\1y"
  t[1] = "first"
  t[2] = {"n1", "n2", sub = {k = 1.5, j = 3}}
  t.num = 2^53
  t.f = 1.0
  t.b = true
  return t
end
