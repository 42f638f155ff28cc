//! `derive(Choice)`: an enum stored as text, one value per variant. The
//! derive emits the table of values and labels and the two matches between
//! variants and values; reading, writing and checking are the runtime's.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::dummy;
use crate::exports::private;
use crate::internals::ast::ChoiceEnum;
use crate::internals::{check, ctxt::Ctxt};
use crate::tokens::choice_field_type;

/// Expands `derive(Choice)`: the impls, or the errors and stub impls.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let choice = ChoiceEnum::from_ast(&cx, input).and_then(|choice| check::choice::check(&cx, choice));
    match (cx.check(), choice) {
        (Ok(()), Some(choice)) => generate(&choice),
        (Err(errors), _) => dummy::choice(input, &errors),
        (Ok(()), None) => {
            let error = syn::Error::new_spanned(&input.ident, "derive(Choice) could not read this enum");
            dummy::choice(input, &error)
        }
    }
}

fn generate(c: &ChoiceEnum<'_>) -> TokenStream {
    let p = private();
    let ident = c.ident;
    let metas = c.variants.iter().map(|v| {
        let (value, label) = (&v.value, &v.label);
        quote!(#p::ChoiceMeta { value: #value, label: #label })
    });
    let to_value = c.variants.iter().map(|v| {
        let (variant, value) = (v.ident, &v.value);
        quote!(Self::#variant => #value,)
    });
    let from_value = c.variants.iter().map(|v| {
        let (variant, value) = (v.ident, &v.value);
        quote!(#value => #p::Option::Some(Self::#variant),)
    });
    let field_type = choice_field_type(ident);
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #p::Choice for #ident {
                const CHOICES: &'static [#p::ChoiceMeta] = &[#(#metas),*];

                fn as_str(&self) -> &'static str {
                    match self {
                        #(#to_value)*
                    }
                }

                fn from_str_value(__value: &str) -> #p::Option<Self> {
                    match __value {
                        #(#from_value)*
                        _ => #p::Option::None,
                    }
                }
            }

            #field_type
        };
    }
}
