description = [[
Lists the modules an rsync daemon shares (its protocol's greeting,
"@RSYNCD: <version>", then an empty module name asks for the list, which
ends with "@RSYNCD: EXIT"): each module's name and comment as the daemon
sends them. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(873, "rsync")

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local ok, greet = sock:receive_buf("\n", false)
  -- protocol 30 and later may list checksum names after the version
  local ver = ok and greet:match("^@RSYNCD: (%d+%.?%d*)")
  if not ver then sock:close(); return nil end
  -- answering as protocol 31 needs no digest list (32 wants one)
  if tonumber(ver) > 31 then ver = "31.0" end
  sock:send("@RSYNCD: " .. ver .. "\n\n")
  local mods = {}
  while true do
    local st, line = sock:receive_buf("\n", false)
    if not st then break end
    if line:match("^@RSYNCD: EXIT") then break end
    if line:match("^@ERROR") then
      sock:close()
      return stdnse.format_output(false, line)
    end
    mods[#mods + 1] = line
  end
  sock:close()
  if #mods == 0 then return nil end
  return mods
end
