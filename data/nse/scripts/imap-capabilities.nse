description = [[
Lists an IMAP server's capabilities: the words of its reply to
CAPABILITY (RFC 9051 section 6.1.1), each once. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"

portrule = shortport.port_or_service({143, 993}, {"imap", "imaps"})

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(8000)
  local ssl = port.number == 993 or port.service == "imaps"
    or (port.version and port.version.service_tunnel == "ssl")
  if not sock:connect(host, port, ssl and "ssl" or "tcp") then return nil end
  local ok, greet = sock:receive_buf("\r?\n", false)
  if not ok or not greet:match("^%* ") then sock:close(); return nil end
  sock:send("A0001 CAPABILITY\r\n")
  local buf = ""
  while not buf:find("A0001 [^\n]*\n") do
    local st, d = sock:receive()
    if not st then break end
    buf = buf .. d
  end
  sock:close()
  if not buf:find("A0001 OK") then return nil end
  -- the reply's lines run together, as nmap 7.93 reads them
  local text = buf:gsub("\r?\n", ""):gsub("^%* CAPABILITY ", "")
  local seen, caps = {}, {}
  for w in text:gmatch("%S+") do
    w = w:gsub("[,.]$", "")
    if not seen[w] then seen[w] = true; caps[#caps + 1] = w end
  end
  return table.concat(caps, " ")
end
