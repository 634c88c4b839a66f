description = [[
Sends SYST and STAT to an FTP server (RFC 959) after an anonymous login
and shows the replies. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local ftp = require "ftp"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service({21, 990}, {"ftp", "ftps"})

-- a reply's text without its codes: "211-a\r\n b\r\n211 c" -> "a\n b\nc"
local function text(reply)
  local lines = {}
  for l in reply:gmatch("[^\r\n]+") do
    lines[#lines + 1] = l:gsub("^%d%d%d[- ]", "")
  end
  return table.concat(lines, "\n")
end

action = function(host, port)
  local c = ftp.connect(host, port)
  if not c then return nil end
  ftp.login(c, "anonymous", "IEUser@")
  local out = stdnse.output_table()
  local code, reply = ftp.command(c, "SYST")
  if code and code < 300 then
    local t = text(reply)
    if t ~= "UNIX Type: L8" then out.SYST = t end
  end
  code, reply = ftp.command(c, "STAT")
  c.sock:close()
  if code and code < 300 then out.STAT = "\n" .. text(reply) end
  for _ in pairs(out) do return out end
  return nil
end
