description = [[
Lists a POP3 server's capabilities: the CAPA command's reply (RFC 2449),
with SASL mechanisms in parentheses. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.port_or_service({110, 995}, {"pop3", "pop3s"})

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(8000)
  local ssl = port.number == 995 or port.service == "pop3s"
    or (port.version and port.version.service_tunnel == "ssl")
  if not sock:connect(host, port, ssl and "ssl" or "tcp") then return nil end
  local ok, greet = sock:receive_buf("\r?\n", false)
  if not ok or not greet:match("^%+OK") then sock:close(); return nil end
  sock:send("CAPA\r\n")
  local buf = ""
  while not buf:find("\r?\n%.\r?\n$") and not buf:match("^%-ERR.-\n") do
    local st, d = sock:receive()
    if not st then break end
    buf = buf .. d
  end
  sock:close()
  if not buf:match("^%+OK") then return nil end
  local caps = {}
  for l in buf:gmatch("[^\r\n]+") do
    if not l:match("^%+OK") and l ~= "." then
      local k, rest = l:match("^(%S+)%s*(.*)$")
      caps[#caps + 1] = rest ~= "" and (k .. "(" .. rest .. ")") or k
    end
  end
  if #caps == 0 then return nil end
  return table.concat(caps, " ")
end
