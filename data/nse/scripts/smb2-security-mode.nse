description = [[
Sends one SMB2 NEGOTIATE (dialects 2.0.2 to 3.1.1, [MS-SMB2] 2.2.3) and
reports the SecurityMode of the server's response ([MS-SMB2] 2.2.4:
SMB2_NEGOTIATE_SIGNING_ENABLED 0x01, SMB2_NEGOTIATE_SIGNING_REQUIRED
0x02) under the dialect the server chose, written as its hex digits
("311" for 3.1.1). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"safe", "discovery", "default"}

local smb = require "smb"
local stdnse = require "stdnse"

hostrule = function(host)
  return smb.get_port(host) ~= nil
end

local function mode_text(mode)
  if mode & 0x01 == 0 then
    return mode & 0x02 ~= 0 and "Message signing disabled but required"
      or "Message signing is disabled and not required"
  end
  return mode & 0x02 ~= 0 and "Message signing enabled and required"
    or "Message signing enabled but not required"
end

action = function(host)
  local r, err = smb.negotiate_v2(host)
  if not r then
    stdnse.debug1("SMB2 NEGOTIATE: %s", err)
    return nil
  end
  local out = stdnse.output_table()
  out[("%x"):format(r.dialect)] = {mode_text(r.security_mode)}
  return out
end
