package io.ticketfoundry.common.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectiveSpecTest {

    private static ObjectiveSpec withPlacement(String kind, String placement) {
        return new ObjectiveSpec(kind, null, null, null, placement, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void theStochasticPassKindsPlaceTheirDropoutInTheHiddenSlotsUnlessAsked() {
        for (String kind : new String[] {"vwcc", "lwcc-si"}) {
            ObjectiveSpec filled = ObjectiveSpec.of(kind).withDefaults();
            assertThat(filled.dropoutPlacement()).isEqualTo("hidden");
            assertThat(filled.convDropout()).isFalse();
            assertThat(filled.foreignFields()).isEmpty();
            ObjectiveSpec conv = withPlacement(kind, "hidden-and-conv").withDefaults();
            assertThat(conv.dropoutPlacement()).isEqualTo("hidden-and-conv");
            assertThat(conv.convDropout()).isTrue();
            assertThat(conv.foreignFields()).isEmpty();
        }
        assertThat(ObjectiveSpec.DROPOUT_PLACEMENTS).containsExactly("hidden", "hidden-and-conv");
        assertThat(ObjectiveSpec.ADDED_FIELD_DEFAULTS).containsEntry("dropoutPlacement", "hidden");
    }

    @Test
    void otherKindsNeitherFillNorReadThePlacement() {
        for (String kind : ObjectiveSpec.KINDS) {
            if (kind.equals("vwcc") || kind.equals("lwcc-si")) {
                continue;
            }
            assertThat(ObjectiveSpec.of(kind).withDefaults().dropoutPlacement()).as(kind).isNull();
            ObjectiveSpec set = withPlacement(kind, "hidden-and-conv").withDefaults();
            assertThat(set.foreignFields()).as(kind).containsExactly("dropoutPlacement");
            assertThat(set.convDropout()).as(kind).isFalse();
        }
    }

    @Test
    void everyModelHasDropoutSlotsOfSomeKindAndTheCataloguesNameKnownModels() {
        assertThat(ModelCatalog.modelNames()).containsAll(ModelCatalog.HIDDEN_DROPOUT_MODELS)
                .containsAll(ModelCatalog.CONV_DROPOUT_MODELS);
        Set<String> any = new HashSet<>(ModelCatalog.HIDDEN_DROPOUT_MODELS);
        any.addAll(ModelCatalog.CONV_DROPOUT_MODELS);
        assertThat(any).containsExactlyInAnyOrderElementsOf(ModelCatalog.modelNames());
        assertThat(ModelCatalog.CONV_DROPOUT_MODELS).doesNotContain("lenet-300-100");
        assertThat(ModelCatalog.HIDDEN_DROPOUT_MODELS).doesNotContain("vgg-11", "resnet-20", "resnet-18");
    }
}
