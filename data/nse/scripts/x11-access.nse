description = [[
Sends an X11 connection setup request (the X Window System protocol,
"Connection Setup": byte order 'l', protocol 11.0, no authorization) to
an X server on 6000-6009 and reports whether the server lets us in (its
reply's first byte 1, Success); a refusal (Failed, Authenticate) gives
no result. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe", "auth"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.portnumber({6000, 6001, 6002, 6003, 6004, 6005, 6006, 6007, 6008, 6009}, "tcp")

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  local ok, err = sock:connect(host, port)
  if not ok then
    stdnse.debug1("connect: %s", err)
    return nil
  end
  -- little-endian, protocol major 11 minor 0, empty authorization name and data
  ok, err = sock:send(string.pack("<B B I2 I2 I2 I2 I2", 0x6c, 0, 11, 0, 0, 0, 0))
  local d
  if ok then ok, d = sock:receive_bytes(1) end
  sock:close()
  if not ok then
    stdnse.debug1("X11 setup: %s", d or err)
    return nil
  end
  if d:byte(1) == 1 then return true, "X server access is granted" end
  return nil
end
