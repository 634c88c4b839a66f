-- netkit's `match` library (ours, written from nmap's NSEDoc for match;
-- checked side by side with nmap 7.93 by
-- tests/integration/nse_cases/match.lua): delimiter functions for a
-- socket's receive_buf.
local match = {}

--- The first match of the Lua pattern, or, with none, the first `within`
-- bytes once that many have arrived.
function match.pattern_limit(pattern, within)
  return function(buf)
    local l, r = buf:find(pattern)
    if l then return l, r end
    if #buf >= within then return within, within end
    return nil
  end
end

--- Exactly num bytes, once that many have arrived.
function match.numbytes(num)
  return function(buf)
    if #buf >= num then return num, num end
    return nil
  end
end

return match
