description = [[
Sends a DRDA EXCSAT (exchange server attributes) command, as the DDM
architecture defines it, to a database server speaking DRDA (IBM DB2,
Apache Derby, Informix) and prints the attributes of its EXCSATRD reply:
release level, server class (platform), server name and external name;
sets the port's product and version. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"safe", "discovery", "version"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.version_port_or_service({50000, 60000, 9090, 1526, 1527}, {"drda", "ibm-db2"})

-- DDM code points (DRDA Vol. 3)
local EXCSAT, EXCSATRD = 0x1041, 0x1443
local EXTNAM, SRVCLSNM, SRVNAM, SRVRLSLV = 0x115E, 0x1147, 0x116D, 0x115A

-- EBCDIC (code page 037) printable characters
local E2A = {[64]=" ", [75]=".", [76]="<", [77]="(", [78]="+", [79]="|", [80]="&", [90]="!", [91]="$", [92]="*", [93]=")", [94]=";", [96]="-", [97]="/", [107]=",", [108]="%", [109]="_", [110]=">", [111]="?", [121]="`", [122]=":", [123]="#", [124]="@", [125]="'", [126]="=", [127]="\"", [129]="a", [130]="b", [131]="c", [132]="d", [133]="e", [134]="f", [135]="g", [136]="h", [137]="i", [145]="j", [146]="k", [147]="l", [148]="m", [149]="n", [150]="o", [151]="p", [152]="q", [153]="r", [161]="~", [162]="s", [163]="t", [164]="u", [165]="v", [166]="w", [167]="x", [168]="y", [169]="z", [176]="^", [186]="[", [187]="]", [192]="{", [193]="A", [194]="B", [195]="C", [196]="D", [197]="E", [198]="F", [199]="G", [200]="H", [201]="I", [208]="}", [209]="J", [210]="K", [211]="L", [212]="M", [213]="N", [214]="O", [215]="P", [216]="Q", [217]="R", [224]="\\", [226]="S", [227]="T", [228]="U", [229]="V", [230]="W", [231]="X", [232]="Y", [233]="Z", [240]="0", [241]="1", [242]="2", [243]="3", [244]="4", [245]="5", [246]="6", [247]="7", [248]="8", [249]="9"}

local function ascii(s)
  return (s:gsub(".", function(c) return E2A[c:byte()] or "" end))
end

local function ebcdic(s)
  local rev = {}
  for k, v in pairs(E2A) do rev[v] = string.char(k) end
  return (s:gsub(".", function(c) return rev[c] or "\64" end))
end

local function ddm(cp, payload) return string.pack(">I2I2", 4 + #payload, cp) .. payload end

local function excsat()
  local obj = ddm(EXTNAM, ebcdic("netkit")) .. ddm(SRVNAM, ebcdic("netkit"))
              .. ddm(SRVRLSLV, ebcdic("netkit")) .. ddm(SRVCLSNM, ebcdic("netkit"))
  local cmd = ddm(EXCSAT, obj)
  -- DSS header: length, magic D0, request (1) with no chaining, correlator 1
  return string.pack(">I2BBI2", 6 + #cmd, 0xD0, 0x01, 1) .. cmd
end

-- "SQLvvrrm" (DB2's product identifier and level) -> "vv.rr.m"
local function db2_version(rl)
  local v, r, m = rl:match("^SQL(%d%d)(%d%d)(%d)")
  return v and (v .. "." .. r .. "." .. m) or nil
end

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  sock:send(excsat())
  local ok, data = sock:receive_bytes(10)
  sock:close()
  if not ok or #data < 10 or data:byte(3) ~= 0xD0 then return nil end
  local len, cp = string.unpack(">I2I2", data, 7)
  if cp ~= EXCSATRD then return nil end
  local attrs, pos, stop = {}, 11, math.min(#data, 6 + len)
  while pos + 3 <= stop do
    local l, c = string.unpack(">I2I2", data, pos)
    if l < 4 then break end
    attrs[c] = ascii(data:sub(pos + 4, pos + l - 1))
    pos = pos + l
  end
  local out = {""}
  local rl = attrs[SRVRLSLV]
  local ver = rl and db2_version(rl)
  if ver then out[#out + 1] = "  DB2 Version: " .. ver
  elseif rl then out[#out + 1] = "  Server Version: " .. rl end
  if attrs[SRVCLSNM] then out[#out + 1] = "  Server Platform: " .. attrs[SRVCLSNM] end
  if attrs[SRVNAM] then out[#out + 1] = "  Instance Name: " .. attrs[SRVNAM] end
  if attrs[EXTNAM] then out[#out + 1] = "  External Name: " .. attrs[EXTNAM] end
  if #out == 1 then return nil end
  port.version = port.version or {}
  port.version.name = "drda"
  if ver then
    port.version.product = "IBM DB2 Database Server"
    port.version.extrainfo = attrs[SRVCLSNM]
  elseif attrs[SRVCLSNM] then
    port.version.product = attrs[SRVCLSNM]
    port.version.version = rl
  end
  nmap.set_port_version(host, port, "hardmatched")
  return table.concat(out, "\n") .. "\n"
end
