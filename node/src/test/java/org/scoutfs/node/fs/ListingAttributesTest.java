package org.scoutfs.node.fs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListingAttributesTest {
    private final ListingAttributes listing = new ListingAttributes();

    @Test
    void theFirstListingOfADirectoryIsNamesOnly() {
        assertThat(listing.wanted(5, 0)).isFalse();
        assertThat(listing.wanted(5, 0)).as("listed again without lookups in between").isFalse();
    }

    @Test
    void lookupsAfterAListingMakeTheNextListingCarryAttributes() {
        listing.wanted(5, 0);
        listing.lookedUp(5);
        assertThat(listing.wanted(5, 0)).isTrue();
        assertThat(listing.wanted(6, 0)).as("another directory").isFalse();
    }

    @Test
    void lookupsWithoutAnEarlierListingChangeNothing() {
        listing.lookedUp(5);
        assertThat(listing.wanted(5, 0)).isFalse();
    }

    @Test
    void aRequestPastTheStartOfAListingCarriesAttributes() {
        // the kernel asks with READDIRPLUS past the start only after lookups in the directory
        assertThat(listing.wanted(5, 3)).isTrue();
    }

    @Test
    void theMemoryIsBounded() {
        for (long dir = 0; dir < ListingAttributes.REMEMBERED * 3L; dir++) {
            listing.wanted(dir, 0);
            listing.lookedUp(dir);
        }
        assertThat(listing.remembered()).isLessThanOrEqualTo(ListingAttributes.REMEMBERED);
    }
}
