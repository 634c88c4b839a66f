description = [[
Shows what an SMTP server says to EHLO (its extensions, RFC 5321
section 4.1.1.1) and to HELP. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service({25, 465, 587}, {"smtp", "smtps", "submission"})

local function reply(sock, st)
  while true do
    local s = st.buf:find("%d%d%d [^\n]*\n")
    if s and (s == 1 or st.buf:sub(s - 1, s - 1) == "\n") then
      local e = st.buf:find("\n", s, true)
      local r = st.buf:sub(1, e)
      st.buf = st.buf:sub(e + 1)
      return r
    end
    local ok, d = sock:receive()
    if not ok then return nil end
    st.buf = st.buf .. d
  end
end

local function lines(r, code)
  local out = {}
  for l in r:gmatch("[^\r\n]+") do
    if l:sub(1, 3) == code then out[#out + 1] = l:sub(5) end
  end
  return out
end

action = function(host, port)
  local domain = stdnse.get_script_args("smtp.domain") or "nmap.scanme.org"
  local sock = nmap.new_socket()
  sock:set_timeout(10000)
  local proto = (port.number == 465 or port.service == "smtps") and "ssl" or "tcp"
  if not sock:connect(host, port, proto) then return nil end
  local st = {buf = ""}
  local r = reply(sock, st)
  if not r or r:sub(1, 3) ~= "220" then sock:close(); return nil end
  sock:send("EHLO " .. domain .. "\r\n")
  r = reply(sock, st)
  if not r or r:sub(1, 3) ~= "250" then sock:close(); return nil end
  local out = {table.concat(lines(r, "250"), ", ")}
  sock:send("HELP\r\n")
  r = reply(sock, st)
  if r and r:match("^21[14]") then
    out[2] = " " .. table.concat(lines(r, r:sub(1, 3)), " ")
  end
  sock:send("QUIT\r\n")
  sock:close()
  return table.concat(out, "\n")
end
