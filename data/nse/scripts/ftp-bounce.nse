description = [[
Checks whether an FTP server accepts a PORT command naming another host
(RFC 959's third-party transfer, the "FTP bounce"): after an anonymous
login it asks for PORT to an address in the documentation range
192.0.2.0/24 (RFC 5737; nothing is connected to it). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe"}

local ftp = require "ftp"
local shortport = require "shortport"

portrule = shortport.port_or_service(21, "ftp")

action = function(host, port)
  local c = ftp.connect(host, port)
  if not c then return nil end
  local code = ftp.login(c, "anonymous", "IEUser@")
  if code ~= 230 then c.sock:close(); return nil end
  code = ftp.command(c, "PORT 192,0,2,1,80,80")
  c.sock:close()
  if code and code >= 200 and code < 300 then return "bounce working!" end
  return nil
end
