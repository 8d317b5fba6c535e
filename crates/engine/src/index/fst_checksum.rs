//! fst's own checksum, checked without fst's 17 KB of CRC tables (6 % of the
//! widget's wasm): the masked CRC32C of all but the last four bytes, which
//! hold it. A byte-wise table is fast enough for a dictionary shard.

/// Whether `fst` carries a checksum that matches its bytes.
pub fn is_intact(fst: &[u8]) -> bool {
    let Some((body, stored)) = fst.split_last_chunk::<4>() else {
        return false;
    };
    masked(crc32c(body)) == u32::from_le_bytes(*stored)
}

const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = (crc >> 1) ^ (0x82F6_3B78 & (crc & 1).wrapping_neg());
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

fn crc32c(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, &b| TABLE[usize::from(crc as u8 ^ b)] ^ (crc >> 8))
}

/// The Snappy-style mask fst applies to the CRC.
fn masked(crc: u32) -> u32 {
    crc.rotate_right(15).wrapping_add(0xA282_EAD8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_fst(mut keys in prop::collection::vec("[a-zё]{1,12}", 0..200), flip in any::<prop::sample::Index>()) {
            keys.sort();
            keys.dedup();
            let mut bytes = fst::Set::from_iter(&keys).unwrap().into_fst().into_inner();
            prop_assert!(is_intact(&bytes));
            let at = flip.index(bytes.len());
            bytes[at] ^= 0x20;
            let fst_says = fst::raw::Fst::new(bytes.clone()).and_then(|f| f.verify()).is_ok();
            prop_assert_eq!(is_intact(&bytes), fst_says);
        }
    }

    #[test]
    fn too_short_is_not_intact() {
        assert!(!is_intact(b"abc"));
    }
}
