-- Test stand-in for the Lua Gcrypt API (Wireshark 4.6+) for contrib/wireshark/qsp.lua on a Wireshark without it
-- (WiresharkDissectorTest). It does no cryptography: QSP_TEST_AEAD lists "key:nonce:aad:ciphertext:tag:plaintext"
-- entries (hex, ';'-separated) that the test computed with the JCA from the key log, and it answers a decryption
-- only when every input is exactly one of them; anything else fails the tag check. So it checks which key, nonce,
-- AAD, ciphertext and tag the dissector selects, not the AEAD. Load it before qsp.lua.
local answers = {}
for key, iv, aad, ct, tag, plain in (os.getenv("QSP_TEST_AEAD") or ""):gmatch("(%x+):(%x+):(%x+):(%x*):(%x+):(%x*)") do
    answers[table.concat({ key, iv, aad, ct }, ":"):lower()] = { tag = tag:lower(), plain = plain }
end

local function hex(ba) return ba:tohex():lower() end

local Cipher = {}
Cipher.__index = Cipher
function Cipher:setkey(ba) self.key = hex(ba) end
function Cipher:setiv(ba) self.iv = hex(ba) end
function Cipher:authenticate(ba) self.aad = hex(ba) end
function Cipher:decrypt(out, ba)
    self.answer = answers[table.concat({ self.key, self.iv, self.aad, hex(ba) }, ":")]
    return ByteArray.new(self.answer and self.answer.plain or "")
end
function Cipher:checktag(ba)
    if self.answer and self.algo == 9 and self.mode == 8 and self.answer.tag == hex(ba) then return 0 end
    return 1, "stand-in: not the expected key, nonce, AAD, ciphertext or tag"
end

-- libgcrypt's numbers: GCRY_CIPHER_AES256 = 9, GCRY_CIPHER_MODE_GCM = 8, GCRY_CIPHER_CHACHA20 = 316, POLY1305 = 11
package.loaded["qsp.test.gcrypt"] = {
    AES256 = 9, GCM = 8, CHACHA20 = 316, POLY1305 = 11,
    open = function(algo, mode, flags) return setmetatable({ algo = algo, mode = mode }, Cipher) end,
}
