description = [[
Checks whether an FTP server lets the user "anonymous" log in (RFC 1635)
and, when it does, lists the top directory (PASV and LIST, RFC 959).
netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "auth", "safe"}

local ftp = require "ftp"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service({21, 990}, {"ftp", "ftps"})

action = function(host, port)
  local c = ftp.connect(host, port)
  if not c then return nil end
  local code = ftp.login(c, "anonymous", "IEUser@")
  if code ~= 230 then c.sock:close(); return nil end
  local out = {("Anonymous FTP login allowed (FTP code %d)"):format(code)}
  local max = tonumber(stdnse.get_script_args("ftp-anon.maxlist")) or 20
  local list = ftp.list(c, "LIST")
  c.sock:close()
  if list then
    local n = 0
    for line in list:gmatch("[^\r\n]+") do
      n = n + 1
      if max >= 0 and n > max then
        out[#out + 1] = "Only " .. max .. " shown. Use --script-args ftp-anon.maxlist=-1 to see all."
        break
      end
      out[#out + 1] = line
    end
  end
  return table.concat(out, "\n")
end
