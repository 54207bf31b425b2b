// Planted failure modes for the cluster benchmark: failing answers from eight distinct modes, each
// written many ways over the same topics (so topic words cannot give a mode away), plus unrelated noise.
import { prng } from '../test/helpers/prng.js';

const TOPICS = [
  'the refund policy',
  'your order status',
  'the billing cycle',
  'password reset',
  'the shipping times',
  'the premium plan',
  'data export',
  'two-factor login',
  'the mobile app',
  'account deletion',
  'the API rate limits',
  'invoice history',
  'team permissions',
  'the holiday schedule',
  'storage quotas',
];
const NAMES = ['Maria Lopez', 'John Smith', 'Wei Chen', 'Aisha Khan', 'Tom Becker', 'Priya Nair'];

/** Each mode: ways of opening and of going on, combined at random; {t} is a topic, {n} a person. */
const MODES: readonly { name: string; parts: readonly (readonly string[])[] }[] = [
  {
    name: 'refuses a benign request',
    parts: [
      [
        "I'm sorry, but I can't help with that.",
        'Unfortunately I am unable to assist with this request.',
        'I cannot provide that information.',
        "Sorry, that's not something I'm able to do.",
      ],
      [
        'Questions about {t} are outside what I am allowed to discuss.',
        'I must decline to answer questions regarding {t}.',
        'My guidelines prevent me from responding about {t}.',
        'Please understand I cannot comment on {t}.',
      ],
    ],
  },
  {
    name: 'invents a source',
    parts: [
      [
        'According to a 2019 Harvard study,',
        'A peer-reviewed paper in Nature found that',
        'Research published by Stanford researchers shows',
        'As documented in the official 2021 industry report,',
      ],
      [
        '{t} improves customer retention by 47 percent.',
        'experts agree {t} was redesigned after the survey of 12,000 users.',
        'studies confirm {t} follows the ISO 27001 citation standard.',
        '{t} is cited in more than 300 academic journals.',
      ],
    ],
  },
  {
    name: 'prose where JSON was asked',
    parts: [
      [
        'Sure! Here is the information you requested:',
        'Of course, here are the details:',
        'Happy to help, the fields are as follows:',
        'Here you go:',
      ],
      [
        'the status field is active, the topic field is {t}, and the count is three.',
        'status: active; topic: {t}; count three, formatted as a sentence instead of an object.',
        'The record for {t} has status active and a count of 3, listed in plain text.',
        'Field one is {t}, field two is active, field three equals three.',
      ],
    ],
  },
  {
    name: 'leaks personal data',
    parts: [
      [
        'You can contact {n} directly at',
        'The customer who asked about {t} is {n}, reachable at',
        'Reach out to {n}, phone and email:',
        '{n} handles {t}; their private details are',
      ],
      [
        '{e}@example.com or +1 555 0142.',
        'home address 12 Elm Street, email {e}@example.com.',
        'mobile 555-0199, social security 123-45-6789.',
        'personal email {e}@gmail.com and date of birth 03/04/1988.',
      ],
    ],
  },
  {
    name: 'answers in the wrong language',
    parts: [
      [
        'Claro, con gusto le ayudo.',
        'Bien sûr, je peux vous aider.',
        'Natürlich helfe ich Ihnen gerne.',
        'Certamente, posso aiutarla.',
      ],
      [
        'La información sobre {t} está disponible en su cuenta.',
        'Les informations concernant {t} sont disponibles dans votre compte.',
        'Die Informationen zu {t} finden Sie in Ihrem Konto.',
        'Le informazioni su {t} sono disponibili nel suo account.',
      ],
    ],
  },
  {
    name: 'claims a knowledge cutoff',
    parts: [
      [
        'As of my last training update,',
        'My knowledge only extends to 2021, so',
        'I do not have access to real-time data, and',
        'Since my training data has a cutoff,',
      ],
      [
        'I cannot know the current state of {t}.',
        'any recent changes to {t} are unknown to me.',
        'I am unable to browse the internet to check {t}.',
        'please verify {t} with an up-to-date source.',
      ],
    ],
  },
  {
    name: 'truncated mid-answer',
    parts: [
      [
        'To resolve the issue with {t}, first open the settings page and then',
        'The steps for {t} are: 1. Log in 2. Go to',
        'Regarding {t}, the main thing to remember is that the',
        'For {t} you will need to click on the',
      ],
      ['', '...', ' and', ' the'],
    ],
  },
  {
    name: 'endless apology loop',
    parts: [
      [
        'I apologize for the confusion. I apologize again.',
        'Sorry, sorry, I truly apologize for any inconvenience.',
        'My sincere apologies. I deeply apologize for the error.',
        'I am so sorry about that, please accept my apologies.',
      ],
      [
        'I apologize regarding {t}, and I apologize for my previous apology.',
        'Again, my apologies about {t}. Sorry once more.',
        'I regret the mistake with {t}; I apologize, I apologize.',
        'Please forgive me about {t}; apologies, apologies.',
      ],
    ],
  },
];

/** Pleasantries any answer may carry, whatever its failure: they blur modes, as in real traffic. */
const FILLERS = [
  '',
  '',
  'Thanks for reaching out.',
  'Hi there!',
  'Let me know if there is anything else.',
  'Hope this helps.',
  'Great question.',
];

const NOISE = [
  'The weather in Lisbon is mild in spring with occasional rain showers.',
  'Photosynthesis converts light energy into chemical energy stored in glucose.',
  'Chess openings such as the Sicilian Defence favour asymmetrical positions.',
  'A sourdough starter needs regular feeding with flour and water.',
  'The Pythagorean theorem relates the sides of a right triangle.',
  'Volcanic soil is often rich in minerals that support vineyards.',
  'Jazz improvisation builds on chord progressions and modal scales.',
  'Glaciers carve U-shaped valleys over thousands of years.',
];

/** `count` failing answers, ~10% noise, the rest spread over the modes; truth −1 for noise. */
export function failureCorpus(
  count: number,
  seed = 1,
): { texts: string[]; truth: number[]; modes: string[] } {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const texts: string[] = [];
  const truth: number[] = [];
  for (let i = 0; i < count; i++) {
    if (random() < 0.1) {
      // Noise: two unrelated sentences, so noise points do not form a mode of their own.
      texts.push(`${pick(NOISE)} ${pick(NOISE)} (${pick(TOPICS)})`);
      truth.push(-1);
      continue;
    }
    const m = Math.floor(random() * MODES.length);
    const name = pick(NAMES);
    const text = [pick(FILLERS), ...MODES[m]!.parts.map((options) => pick(options)), pick(FILLERS)]
      .join(' ')
      .trim()
      .replaceAll('{t}', pick(TOPICS))
      .replaceAll('{n}', name)
      .replaceAll('{e}', name.toLowerCase().replace(' ', '.'));
    texts.push(text);
    truth.push(m);
  }
  return { texts, truth, modes: MODES.map((mode) => mode.name) };
}
